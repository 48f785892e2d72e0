/**
 * Sealing and opening a blob: a round trip, and every way a worker (or a bug) could serve the wrong bytes is refused
 * with a code that says which: altered, moved to another address or library, another key, truncated, another
 * format, or authentic yet not the body its address names.
 */
import { createCipheriv, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { MAX_BLOB_BYTES } from '../../../sync-worker/src/limits'
import { LibraryKey } from '../sync/library-key'
import {
  BlobCryptoError,
  deriveBlobKeys,
  MAX_PLAINTEXT_BYTES,
  MAX_SEALED_BYTES,
  openBlob,
  SEAL_OVERHEAD_BYTES,
  sealBlob,
  type BlobCryptoErrorCode,
} from './blob-crypto'

const key = LibraryKey.generate()
const keys = deriveBlobKeys(key, 'library-a')
const body = Buffer.from('A distinctive body: purple-walrus-ledger-7731, with tool output below.\n', 'utf8')

function refusal(open: () => unknown): BlobCryptoErrorCode {
  try {
    open()
  } catch (error) {
    expect(error).toBeInstanceOf(BlobCryptoError)
    expect((error as Error).message).not.toContain('purple-walrus')
    return (error as BlobCryptoError).code
  }
  throw new Error('opened what it should have refused')
}

describe('sealBlob and openBlob', () => {
  it('round-trips bodies of 0 bytes to 1 MiB, with 29 bytes of framing and a fresh nonce each time', () => {
    for (const size of [0, 1, 1000, 1024 * 1024]) {
      const plaintext = size === 0 ? Buffer.alloc(0) : randomBytes(size)
      const { address, sealed } = sealBlob(keys, plaintext)
      expect(sealed.length).toBe(size + SEAL_OVERHEAD_BYTES)
      expect(sealed[0]).toBe(1)
      expect(openBlob(keys, address, sealed).equals(plaintext)).toBe(true)
    }
    const [first, second] = [sealBlob(keys, body), sealBlob(keys, body)]
    expect(first.address).toBe(second.address)
    expect(first.sealed.equals(second.sealed)).toBe(false)
    expect(first.sealed.includes(body.subarray(0, 24))).toBe(false)
  })

  it('refuses any altered byte: version, nonce, ciphertext or tag', () => {
    const { address, sealed } = sealBlob(keys, body)
    const codes = new Set<BlobCryptoErrorCode>()
    for (const at of [0, 1, 12, 13, 20, sealed.length - 17, sealed.length - 1]) {
      const altered = Buffer.from(sealed)
      altered[at] = (altered[at] as number) ^ 0x40
      codes.add(refusal(() => openBlob(keys, address, altered)))
    }
    expect([...codes].sort()).toEqual(['TAMPERED', 'UNKNOWN_VERSION'])
  })

  it('refuses a blob served under another address, from another library or sealed under another key', () => {
    const { address, sealed } = sealBlob(keys, body)
    const other = sealBlob(keys, Buffer.from('another body')).address
    expect(refusal(() => openBlob(keys, other, sealed))).toBe('TAMPERED')
    expect(refusal(() => openBlob(deriveBlobKeys(key, 'library-b'), address, sealed))).toBe('TAMPERED')
    expect(refusal(() => openBlob(deriveBlobKeys(LibraryKey.generate(), 'library-a'), address, sealed))).toBe(
      'TAMPERED',
    )
  })

  it('refuses truncated input, from nothing to one byte short, and garbage', () => {
    const { address, sealed } = sealBlob(keys, body)
    for (const length of [0, 1, 13, SEAL_OVERHEAD_BYTES - 1])
      expect(refusal(() => openBlob(keys, address, sealed.subarray(0, length)))).toBe('MALFORMED')
    for (const length of [SEAL_OVERHEAD_BYTES, sealed.length - 1])
      expect(refusal(() => openBlob(keys, address, sealed.subarray(0, length)))).toBe('TAMPERED')
    const garbage = randomBytes(200)
    garbage[0] = 1
    expect(refusal(() => openBlob(keys, address, garbage))).toBe('TAMPERED')
    expect(refusal(() => openBlob(keys, 'not-an-address', sealed))).toBe('MALFORMED')
  })

  it('refuses an authentic blob whose body is not the one its address names (a writer with the key, a bug)', () => {
    // Sealed by hand as a buggy machine would: the right key and associated data, but another body.
    const address = sealBlob(keys, body).address
    const nonce = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', keys.encryption, nonce, { authTagLength: 16 })
    cipher.setAAD(Buffer.from(JSON.stringify(['chronicle-blob', 1, 'library-a', address]), 'utf8'))
    const ct = Buffer.concat([cipher.update(Buffer.from('not that body')), cipher.final()])
    const forged = Buffer.concat([Buffer.from([1]), nonce, ct, cipher.getAuthTag()])
    expect(refusal(() => openBlob(keys, address, forged))).toBe('WRONG_CONTENT')
  })

  it("keeps to the worker's limit: the largest body fits once sealed, one byte more is refused", () => {
    expect(MAX_SEALED_BYTES).toBe(MAX_BLOB_BYTES)
    expect(MAX_PLAINTEXT_BYTES + SEAL_OVERHEAD_BYTES).toBe(MAX_BLOB_BYTES)
    expect(refusal(() => sealBlob(keys, Buffer.alloc(MAX_PLAINTEXT_BYTES + 1)))).toBe('TOO_LARGE')
    expect(refusal(() => openBlob(keys, 'a'.repeat(64), Buffer.alloc(MAX_SEALED_BYTES + 1)))).toBe(
      'TOO_LARGE',
    )
    expect(sealBlob(keys, Buffer.alloc(MAX_PLAINTEXT_BYTES)).sealed.length).toBe(MAX_BLOB_BYTES)
  })
})
