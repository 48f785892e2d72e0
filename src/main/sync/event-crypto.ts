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
  CHECK_BYTES,
  ENVELOPE_VERSION,
  fail,
  MAX_ARGS_BYTES,
  NONCE_BYTES,
  parseEnvelope,
  TAG_BYTES,
  type EventEnvelope,
} from './event-crypto-envelope'
import { isStoreId, toBase64url } from './sync-crypto-encoding'

export {
  ENVELOPE_VERSION,
  EventCryptoError,
  MAX_ARGS_BYTES,
  MAX_ENVELOPE_CHARS,
  type EventCryptoErrorCode,
  type EventEnvelope,
} from './event-crypto-envelope'

/** Where an event belongs; every field is public (the worker sees them beside the envelope). */
export interface EventPlace {
  readonly storeId: string
  readonly name: string
  readonly clientId: string
  /** The event's global sequence number in the store's eventlog. */
  readonly seqNum: number
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
