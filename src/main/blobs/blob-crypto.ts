/**
 * A message body or image as the sync worker stores it: sealed with AES-256-GCM under the library's
 * `blobEncryption` key (library-key.ts), so the worker keeps bytes it can neither read nor alter unnoticed.
 *
 * Format, version 1: `0x01 || nonce (12) || ciphertext || tag (16)`, 29 bytes more than the plaintext. Binary, not
 * the events' base64url JSON envelope, because a body is stored and sent on its own and a third more for base64 on
 * every body of a library is a cost with no use. The leading byte names the format so a later one can be told apart.
 *
 * The same conventions as the events (event-crypto.ts says why AES-256-GCM and random nonces): a fresh random
 * 96-bit nonce per seal, and associated data that binds the ciphertext to its place, here the format version, the
 * store id and the address. A worker cannot serve a blob under another address or from another library: GCM's tag
 * fails. The version byte is in the associated data too, so it cannot be changed unnoticed either.
 *
 * Opening also checks that the plaintext hashes to the address (blob-address.ts). GCM alone proves only that a
 * holder of the library key sealed these bytes for this address; the hash proves they are the body the address
 * names, so a machine with a bug (or a stolen key) cannot make an address mean two bodies. The address is computed
 * here when sealing, so a caller cannot seal a body under an address that is not its own.
 */
import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto'
import type { LibraryKey } from '../sync/library-key'
import { SyncCryptoError } from '../sync/sync-crypto-encoding'
import { blobAddress, isBlobAddress } from './blob-address'

export const BLOB_FORMAT_VERSION = 1
const NONCE_BYTES = 12
const TAG_BYTES = 16
/** What sealing adds to a body: the version byte, the nonce and the tag. */
export const SEAL_OVERHEAD_BYTES = 1 + NONCE_BYTES + TAG_BYTES
/** The worker's limit on a stored blob (sync-worker/src/limits.ts, MAX_BLOB_BYTES); blob-crypto.test.ts checks both agree. */
export const MAX_SEALED_BYTES = 32 * 1024 * 1024
/** The largest body that fits the worker's limit once sealed. */
export const MAX_PLAINTEXT_BYTES = MAX_SEALED_BYTES - SEAL_OVERHEAD_BYTES

/** The two keys a library's blobs use, each derived for its own purpose, and the library they belong to. */
export interface BlobKeys {
  readonly storeId: string
  /** HMAC key of the address (blob-address.ts). */
  readonly contentHash: KeyObject
  /** AES-256-GCM key of the body. */
  readonly encryption: KeyObject
}

export function deriveBlobKeys(key: LibraryKey, storeId: string): BlobKeys {
  return {
    storeId,
    contentHash: key.derive('blobContentHash', storeId),
    encryption: key.derive('blobEncryption', storeId),
  }
}

export type BlobCryptoErrorCode =
  /** Not a blob of any format we write: too short to hold the header and tag, or an address that is not one. */
  | 'MALFORMED'
  /** Over the worker's limit: a body too large to upload, or a served blob larger than any we could have sent. */
  | 'TOO_LARGE'
  /**
   * Its first byte names another format: a newer Chronicle's blob, or not a Chronicle blob at all (the two cannot be
   * told apart without that format's key schedule). Either way nothing of it is accepted; a caller should not
   * delete it as tampered, since a newer machine may read it.
   */
  | 'UNKNOWN_VERSION'
  /** GCM refused it: altered, or sealed for another address, another library or under another key. */
  | 'TAMPERED'
  /** Authentic, yet its plaintext is not what the address names: a writer holding the key sealed the wrong body. */
  | 'WRONG_CONTENT'

export class BlobCryptoError extends SyncCryptoError<BlobCryptoErrorCode> {
  override readonly name = 'BlobCryptoError'
}

const fail = (code: BlobCryptoErrorCode, message: string): never => {
  throw new BlobCryptoError(code, message)
}

// A JSON array of strings and an integer has one spelling, and no field can run into the next.
const associatedData = (storeId: string, address: string): Buffer =>
  Buffer.from(JSON.stringify(['chronicle-blob', BLOB_FORMAT_VERSION, storeId, address]), 'utf8')

export interface SealedBlob {
  readonly address: string
  readonly sealed: Buffer
}

/** Seals `plaintext` for its own address in the keys' library. A body over MAX_PLAINTEXT_BYTES is refused. */
export function sealBlob(keys: BlobKeys, plaintext: Uint8Array): SealedBlob {
  if (plaintext.byteLength > MAX_PLAINTEXT_BYTES)
    fail(
      'TOO_LARGE',
      `The body is ${plaintext.byteLength} bytes; the sync worker keeps blobs of at most ${MAX_PLAINTEXT_BYTES} bytes (${MAX_SEALED_BYTES} sealed).`,
    )
  const address = blobAddress(keys.contentHash, plaintext)
  const nonce = randomBytes(NONCE_BYTES)
  const cipher = createCipheriv('aes-256-gcm', keys.encryption, nonce, { authTagLength: TAG_BYTES })
  cipher.setAAD(associatedData(keys.storeId, address))
  const sealed = Buffer.concat([
    Buffer.from([BLOB_FORMAT_VERSION]),
    nonce,
    cipher.update(plaintext),
    cipher.final(),
    cipher.getAuthTag(),
  ])
  return { address, sealed }
}

/**
 * The plaintext of what the worker served under `address`, only if it is authentic for this library and address
 * and hashes to the address; otherwise throws a BlobCryptoError whose code says why. Never echoes the input.
 */
export function openBlob(keys: BlobKeys, address: string, sealed: Uint8Array): Buffer {
  if (!isBlobAddress(address)) fail('MALFORMED', 'A blob address is 64 lowercase hexadecimal characters.')
  if (sealed.byteLength > MAX_SEALED_BYTES)
    fail(
      'TOO_LARGE',
      `The blob is ${sealed.byteLength} bytes; no blob over ${MAX_SEALED_BYTES} is ever sealed.`,
    )
  if (sealed.byteLength < SEAL_OVERHEAD_BYTES)
    fail(
      'MALFORMED',
      `The blob is ${sealed.byteLength} bytes, shorter than its ${SEAL_OVERHEAD_BYTES}-byte framing.`,
    )
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength)
  if (bytes[0] !== BLOB_FORMAT_VERSION)
    fail(
      'UNKNOWN_VERSION',
      `The blob is format ${bytes[0]}; this Chronicle reads format ${BLOB_FORMAT_VERSION}. Update Chronicle, unless the blob is not one of ours at all.`,
    )
  const nonce = bytes.subarray(1, 1 + NONCE_BYTES)
  const tag = bytes.subarray(bytes.length - TAG_BYTES)
  const decipher = createDecipheriv('aes-256-gcm', keys.encryption, nonce, { authTagLength: TAG_BYTES })
  decipher.setAAD(associatedData(keys.storeId, address))
  decipher.setAuthTag(tag)
  let plaintext: Buffer
  try {
    plaintext = Buffer.concat([
      decipher.update(bytes.subarray(1 + NONCE_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ])
  } catch {
    return fail(
      'TAMPERED',
      'The blob failed authentication: it was altered, or sealed for another address, library or key.',
    )
  }
  const expected = Buffer.from(address, 'hex')
  if (!timingSafeEqual(Buffer.from(blobAddress(keys.contentHash, plaintext), 'hex'), expected))
    fail('WRONG_CONTENT', 'The blob is authentic but its body does not hash to its address: refused.')
  return plaintext
}
