/**
 * Event arguments as the worker stores them: sealed with AES-256-GCM under the library's event key
 * (library-key.ts), so the worker keeps and serves ciphertext it can neither read nor alter unnoticed.
 *
 * Why AES-256-GCM and not ChaCha20-Poly1305: Electron's Node is built on BoringSSL, whose `node:crypto` lacks
 * `chacha20-poly1305`, while AES-GCM is in every build (and in WebCrypto, should the worker ever need it) and runs
 * on the AES instructions of every x86-64 and ARMv8 machine. Its weakness is nonce reuse; a fresh random 96-bit
 * nonce per event keeps the chance of a repeat under 2^-32 for the first 2^32 events of a library, far beyond any
 * library's size (GCM's own limit per key is the same 2^32).
 *
 * The associated data binds a ciphertext to its place: the envelope version, the store id, the event name, the
 * client that wrote it and its global sequence number. The sequence number is unique within a store's eventlog, so
 * a worker cannot move a ciphertext to another position, another event type, another client or another library,
 * nor replay an old one. The relay encrypts at each push attempt, so an event rebased to a new sequence number is
 * sealed afresh for it. The parent sequence number is left out: in one linear log the sequence number fixes it.
 *
 * The envelope also carries two checks that are not secret and not relied on for security: `kid`, an 8-byte
 * fingerprint of the key, and `bind`, 8 bytes of SHA-256 of the associated data. They only let a refusal say why
 * ("wrong key" or "belongs to another event" rather than "tampered"); a server that forges them can change the
 * reason given, never what is accepted, which is decided by GCM's tag alone.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  type KeyObject,
} from 'node:crypto'
import {
  isStoreId,
  fromBase64url,
  toBase64url,
  base64urlLength,
  SyncCryptoError,
} from './sync-crypto-encoding'

export const ENVELOPE_VERSION = 1
/** Largest argument JSON (UTF-8 bytes) sealed or opened; above it the worker is serving something we never sent. */
export const MAX_ARGS_BYTES = 1024 * 1024
const NONCE_BYTES = 12
const TAG_BYTES = 16
const CHECK_BYTES = 8
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

/** Where an event belongs; every field is public (the worker sees them beside the envelope). */
export interface EventPlace {
  readonly storeId: string
  readonly name: string
  readonly clientId: string
  /** The event's global sequence number in the store's eventlog. */
  readonly seqNum: number
}

export type EventCryptoErrorCode =
  'MALFORMED' | 'TOO_LARGE' | 'UNKNOWN_VERSION' | 'WRONG_KEY' | 'WRONG_EVENT' | 'TAMPERED'

export class EventCryptoError extends SyncCryptoError<EventCryptoErrorCode> {
  override readonly name = 'EventCryptoError'
}

const fail = (code: EventCryptoErrorCode, message: string): never => {
  throw new EventCryptoError(code, message)
}

const keyId = (key: KeyObject): Buffer =>
  createHmac('sha256', key).update('chronicle/sync/v1/key-id').digest().subarray(0, CHECK_BYTES)

function associatedData(place: EventPlace): Buffer {
  if (!isStoreId(place.storeId)) fail('MALFORMED', 'The event place has an invalid store id.')
  if (typeof place.name !== 'string' || place.name.length === 0 || place.name.length > 256)
    fail('MALFORMED', 'The event place has an invalid event name.')
  if (typeof place.clientId !== 'string' || place.clientId.length === 0 || place.clientId.length > 256)
    fail('MALFORMED', 'The event place has an invalid client id.')
  if (!Number.isSafeInteger(place.seqNum) || place.seqNum < 0)
    fail('MALFORMED', 'The event place has an invalid sequence number.')
  // A JSON array of strings and an integer has one spelling, and no field can run into the next.
  const fields = [
    'chronicle-event',
    ENVELOPE_VERSION,
    place.storeId,
    place.name,
    place.clientId,
    place.seqNum,
  ]
  return Buffer.from(JSON.stringify(fields), 'utf8')
}

const bindCheck = (aad: Buffer): Buffer => createHash('sha256').update(aad).digest().subarray(0, CHECK_BYTES)

/** Seals `args` (any JSON value) for the event at `place`. */
export function encryptEventArgs(key: KeyObject, place: EventPlace, args: unknown): EventEnvelope {
  const json = JSON.stringify(args) as string | undefined
  if (json === undefined) return fail('MALFORMED', 'Event arguments must be a JSON value.')
  const plaintext = Buffer.from(json, 'utf8')
  if (plaintext.length > MAX_ARGS_BYTES)
    fail('TOO_LARGE', `Event arguments are ${plaintext.length} bytes; at most ${MAX_ARGS_BYTES} are synced.`)
  const aad = associatedData(place)
  const nonce = randomBytes(NONCE_BYTES)
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES })
  cipher.setAAD(aad)
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return {
    v: ENVELOPE_VERSION,
    kid: toBase64url(keyId(key)),
    bind: toBase64url(bindCheck(aad)),
    nonce: toBase64url(nonce),
    ct: toBase64url(ct),
    tag: toBase64url(cipher.getAuthTag()),
  }
}

/**
 * Opens what the worker served as the arguments of the event at `place`: the envelope itself or its JSON text.
 * Returns the arguments only if they are authentic for this key and this place; otherwise throws an
 * EventCryptoError whose code says why.
 */
export function decryptEventArgs(key: KeyObject, place: EventPlace, received: unknown): unknown {
  const envelope = parseEnvelope(received)
  const aad = associatedData(place)
  if (!keyId(key).equals(envelope.kid))
    fail('WRONG_KEY', 'The event was sealed with another library key: this machine and the worker disagree.')
  if (!bindCheck(aad).equals(envelope.bind))
    fail('WRONG_EVENT', 'The ciphertext belongs to another event, position or library: refused.')
  const decipher = createDecipheriv('aes-256-gcm', key, envelope.nonce, { authTagLength: TAG_BYTES })
  decipher.setAAD(aad)
  decipher.setAuthTag(envelope.tag)
  let plaintext: Buffer
  try {
    plaintext = Buffer.concat([decipher.update(envelope.ct), decipher.final()])
  } catch {
    return fail('TAMPERED', 'The event failed authentication: its ciphertext, nonce or tag was altered.')
  }
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext)) as unknown
  } catch {
    // Authentic but not JSON: only a writer holding the key could do this, so it is a bug, not an attack.
    return fail('MALFORMED', 'The event is authentic but its arguments are not JSON.')
  }
}

interface ParsedEnvelope {
  readonly kid: Buffer
  readonly bind: Buffer
  readonly nonce: Buffer
  readonly ct: Buffer
  readonly tag: Buffer
}

const ENVELOPE_KEYS = ['bind', 'ct', 'kid', 'nonce', 'tag', 'v'].join()

/** Checks shape, version, types and lengths before any field is decoded, so garbage costs little. */
function parseEnvelope(received: unknown): ParsedEnvelope {
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
    fail('MALFORMED', `The envelope's fields are ${Object.keys(record).sort().join(', ') || 'none'}.`)
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
