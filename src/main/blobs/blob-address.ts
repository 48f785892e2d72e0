/**
 * A blob's address: the name it is stored under on the sync worker, from which any machine of the library can ask
 * for it again. It is HMAC-SHA256 of the plaintext under the library's `blobContentHash` key (library-key.ts), in
 * lowercase hex, 64 characters: the worker's name rule (sync-worker/src/limits.ts, BLOB_NAME_PATTERN).
 *
 * Why keyed: a plain SHA-256 would let the worker (or whoever reads its bucket) confirm a guess, such as whether a
 * library holds a well-known file or a short message like "yes". With the key, only the library's machines can
 * compute an address. The key is derived per library (HKDF salted with the store id), so the same text has
 * unrelated addresses in two libraries and the worker cannot link them.
 *
 * Why content-addressed at all: the same body imported on two machines, or twice on one, has one address, so it is
 * stored once and a machine that already holds it fetches nothing.
 */
import { createHmac, type KeyObject } from 'node:crypto'

/** 64 lowercase hex characters, as the worker names blobs. */
export const BLOB_ADDRESS_PATTERN = /^[0-9a-f]{64}$/

export const isBlobAddress = (value: unknown): value is string =>
  typeof value === 'string' && BLOB_ADDRESS_PATTERN.test(value)

/** The address of `plaintext` in the library whose `blobContentHash` key is `contentHashKey`. */
export function blobAddress(contentHashKey: KeyObject, plaintext: Uint8Array): string {
  return createHmac('sha256', contentHashKey).update(plaintext).digest('hex')
}
