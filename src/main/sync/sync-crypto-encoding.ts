/**
 * Encodings shared by the library key, the event envelope and the pairing code: base64url that is read strictly,
 * and the store id's spelling.
 *
 * Base64url is decoded strictly because Node's decoder is lenient: it skips characters outside the alphabet and
 * ignores the spare low bits of the last character, so two different strings can decode to the same bytes. A
 * changed character in a pairing code, or an envelope field with stray characters, must be noticed, not absorbed:
 * a string is accepted only if it is exactly the encoding of the bytes it decodes to.
 */

const BASE64URL = /^[A-Za-z0-9_-]*$/

export const toBase64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url')

/** The bytes `text` encodes, or null if it is not the canonical unpadded base64url of any bytes. */
export function fromBase64url(text: string): Buffer | null {
  if (!BASE64URL.test(text)) return null
  const bytes = Buffer.from(text, 'base64url')
  return bytes.toString('base64url') === text ? bytes : null
}

/** How many base64url characters `bytes` bytes take, unpadded. */
export const base64urlLength = (bytes: number): number => Math.ceil((bytes * 4) / 3)

/**
 * A store id as LiveStore and the worker's URL paths use it. It is the HKDF salt and part of every event's
 * associated data, so it must be the same bytes on every machine: ASCII only, no normalisation questions.
 */
export const STORE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

export const isStoreId = (value: unknown): value is string =>
  typeof value === 'string' && STORE_ID_PATTERN.test(value)

/** Throws a plain error for a store id the caller made itself (a programming error, not untrusted input). */
export function assertStoreId(storeId: string): void {
  if (!isStoreId(storeId))
    throw new TypeError('A store id is 1 to 64 characters of A-Z, a-z, 0-9, "-" and "_".')
}

/** A refusal with a code callers can switch on and a one-line message a person can act on; never a secret in it. */
export abstract class SyncCryptoError<Code extends string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
  ) {
    super(message)
  }
}
