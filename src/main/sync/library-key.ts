/**
 * The library key: 32 random bytes made on the first machine of a library and carried to the others by the
 * pairing code. It never leaves the user's machines and is never used directly: each purpose gets its own key
 * derived with HKDF-SHA256, so a key that leaks from one use (the worker token, which the worker sees) says
 * nothing about the others (the event and blob keys, which it must not have).
 *
 * HKDF's salt is the library's store id and its `info` names the purpose and a format version. A new version of a
 * purpose gets a new label, so old and new keys never coincide.
 *
 * A LibraryKey prints as `[LibraryKey]` in logs, `JSON.stringify` and the inspector; its bytes come out only
 * through `exportBytes`, for the key file and the pairing code.
 */
import { createHash, createSecretKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto'
import { inspect } from 'node:util'
import { assertStoreId, toBase64url } from './sync-crypto-encoding'

export const LIBRARY_KEY_BYTES = 32

/** One label per purpose; the `v1` is the derivation's version, not the app's. */
export const KEY_PURPOSES = {
  eventArgs: 'chronicle/sync/v1/event-args-aead',
  workerToken: 'chronicle/sync/v1/worker-token',
  blobContentHash: 'chronicle/sync/v1/blob-content-hash',
  blobEncryption: 'chronicle/sync/v1/blob-encryption',
  /** AEAD key for a machine's display name in the worker's list of machines (machine-presence.ts). */
  machineName: 'chronicle/sync/v1/machine-name-aead',
} as const

export type KeyPurpose = keyof typeof KEY_PURPOSES

export class LibraryKey {
  readonly #key: KeyObject

  private constructor(bytes: Uint8Array) {
    this.#key = createSecretKey(bytes)
  }

  /** A new key for a new library. */
  static generate(): LibraryKey {
    return new LibraryKey(randomBytes(LIBRARY_KEY_BYTES))
  }

  /** A key read from the key file or a pairing code; anything but 32 bytes is refused. */
  static fromBytes(bytes: Uint8Array): LibraryKey {
    if (bytes.length !== LIBRARY_KEY_BYTES)
      throw new RangeError(`A library key is ${LIBRARY_KEY_BYTES} bytes, not ${bytes.length}.`)
    return new LibraryKey(bytes)
  }

  /** The raw key, for the key file and the pairing code only. */
  exportBytes(): Buffer {
    return this.#key.export()
  }

  /** A 32-byte key for one purpose in one library. */
  derive(purpose: KeyPurpose, storeId: string): KeyObject {
    assertStoreId(storeId)
    const derived = hkdfSync('sha256', this.#key, storeId, KEY_PURPOSES[purpose], 32)
    return createSecretKey(new Uint8Array(derived))
  }

  equals(other: LibraryKey): boolean {
    return this.#key.equals(other.#key)
  }

  toString(): string {
    return '[LibraryKey]'
  }

  toJSON(): string {
    return '[LibraryKey]'
  }

  [inspect.custom](): string {
    return '[LibraryKey]'
  }
}

/** The keys one library's sync uses, each derived for its own purpose. */
export interface SyncKeys {
  /** AEAD key for event arguments (event-crypto.ts). */
  readonly eventArgs: KeyObject
  /** The bearer token the worker authorises a connection with; the worker keeps only `tokenHash(token)`. */
  readonly workerToken: string
  /** HMAC key for the content hash of message-body blobs, so the worker cannot confirm a guessed body. */
  readonly blobContentHash: KeyObject
  /** AEAD key for message-body blobs. */
  readonly blobEncryption: KeyObject
}

export function deriveSyncKeys(key: LibraryKey, storeId: string): SyncKeys {
  return {
    eventArgs: key.derive('eventArgs', storeId),
    workerToken: toBase64url(key.derive('workerToken', storeId).export()),
    blobContentHash: key.derive('blobContentHash', storeId),
    blobEncryption: key.derive('blobEncryption', storeId),
  }
}

/**
 * The token as the worker stores it: SHA-256 in hex. A plain hash suffices because the token is 256 random-looking
 * bits, not a password: nothing can be guessed from the hash.
 */
export const tokenHash = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex')
