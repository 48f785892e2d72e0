/**
 * The sealed form of an event's arguments, and the checks on one received from the worker. Everything the worker
 * serves is untrusted: the shape, version, field types, base64url spelling and lengths are checked before anything
 * is decoded or decrypted, input larger than any envelope we write is refused before it is parsed, and every
 * refusal is an EventCryptoError whose code says what was wrong. Messages never echo the received content.
 */
import { base64urlLength, fromBase64url, SyncCryptoError } from './sync-crypto-encoding'

export const ENVELOPE_VERSION = 1
/** Largest argument JSON (UTF-8 bytes) sealed or opened; above it the worker is serving something we never sent. */
export const MAX_ARGS_BYTES = 1024 * 1024
export const NONCE_BYTES = 12
export const TAG_BYTES = 16
export const CHECK_BYTES = 8
/** The whole envelope as JSON: the ciphertext in base64url plus room for the other fields. */
export const MAX_ENVELOPE_CHARS = base64urlLength(MAX_ARGS_BYTES) + 256

/** What the worker stores in place of an event's arguments. */
export interface EventEnvelope {
  readonly v: typeof ENVELOPE_VERSION
  readonly kid: string
  readonly bind: string
  readonly nonce: string
  readonly ct: string
  readonly tag: string
}

export type EventCryptoErrorCode =
  'MALFORMED' | 'TOO_LARGE' | 'UNKNOWN_VERSION' | 'WRONG_KEY' | 'WRONG_EVENT' | 'TAMPERED'

export class EventCryptoError extends SyncCryptoError<EventCryptoErrorCode> {
  override readonly name = 'EventCryptoError'
}

export const fail = (code: EventCryptoErrorCode, message: string): never => {
  throw new EventCryptoError(code, message)
}

export interface ParsedEnvelope {
  readonly kid: Buffer
  readonly bind: Buffer
  readonly nonce: Buffer
  readonly ct: Buffer
  readonly tag: Buffer
}

const ENVELOPE_KEYS = ['bind', 'ct', 'kid', 'nonce', 'tag', 'v'].join()

/** Checks shape, version, types and lengths before any field is decoded, so garbage costs little. */
export function parseEnvelope(received: unknown): ParsedEnvelope {
  let value = received
  if (typeof value === 'string') {
    if (value.length > MAX_ENVELOPE_CHARS)
      fail(
        'TOO_LARGE',
        `The envelope is ${value.length} characters; at most ${MAX_ENVELOPE_CHARS} are accepted.`,
      )
    try {
      value = JSON.parse(value) as unknown
    } catch {
      fail('MALFORMED', 'The envelope is not JSON.')
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail('MALFORMED', `The envelope must be a JSON object, not ${describe(value)}.`)
  const record = value as Record<string, unknown>
  if (!Object.hasOwn(record, 'v')) fail('MALFORMED', 'The envelope has no version field "v".')
  if (record.v !== ENVELOPE_VERSION)
    fail(
      Number.isSafeInteger(record.v) ? 'UNKNOWN_VERSION' : 'MALFORMED',
      Number.isSafeInteger(record.v)
        ? `The envelope is version ${String(record.v)}; this Chronicle reads version ${ENVELOPE_VERSION}. Update Chronicle.`
        : `The envelope's version is ${describe(record.v)}, not a number.`,
    )
  if (Object.keys(record).sort().join() !== ENVELOPE_KEYS)
    fail('MALFORMED', 'The envelope must have exactly the fields v, kid, bind, nonce, ct and tag.')
  const ct = field(record, 'ct', 0, MAX_ARGS_BYTES)
  return {
    kid: field(record, 'kid', CHECK_BYTES, CHECK_BYTES),
    bind: field(record, 'bind', CHECK_BYTES, CHECK_BYTES),
    nonce: field(record, 'nonce', NONCE_BYTES, NONCE_BYTES),
    ct,
    tag: field(record, 'tag', TAG_BYTES, TAG_BYTES),
  }
}

function field(record: Record<string, unknown>, name: string, min: number, max: number): Buffer {
  const text = record[name]
  if (typeof text !== 'string') return fail('MALFORMED', `The envelope's "${name}" is ${describe(text)}.`)
  if (text.length > base64urlLength(max))
    fail(
      name === 'ct' ? 'TOO_LARGE' : 'MALFORMED',
      `The envelope's "${name}" is ${text.length} characters; at most ${base64urlLength(max)} are allowed.`,
    )
  const bytes = fromBase64url(text)
  if (bytes === null) return fail('MALFORMED', `The envelope's "${name}" is not base64url.`)
  if (bytes.length < min || bytes.length > max)
    fail(
      'MALFORMED',
      `The envelope's "${name}" is ${bytes.length} bytes; ${min === max ? min : `${min} to ${max}`} expected.`,
    )
  return bytes
}

const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`
