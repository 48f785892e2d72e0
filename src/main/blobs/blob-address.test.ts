/**
 * A body's address: the same bytes give the same address in one library, and unrelated ones in another library
 * or under another library key, so the worker can neither test a guess nor link two libraries.
 */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { LibraryKey } from '../sync/library-key'
import { blobAddress, isBlobAddress } from './blob-address'

const body = Buffer.from('The deploy script needs the staging flag before it runs the migrations.', 'utf8')
const hashKey = (key: LibraryKey, storeId: string) => key.derive('blobContentHash', storeId)

describe('blobAddress', () => {
  const key = LibraryKey.generate()

  it('is 64 lowercase hex, the same for the same bytes in one library, and changes with any byte', () => {
    const address = blobAddress(hashKey(key, 'library-a'), body)
    expect(address).toMatch(/^[0-9a-f]{64}$/)
    expect(isBlobAddress(address)).toBe(true)
    expect(blobAddress(hashKey(key, 'library-a'), Buffer.from(body))).toBe(address)
    const changed = Buffer.from(body)
    changed[0] = (changed[0] as number) ^ 1
    expect(blobAddress(hashKey(key, 'library-a'), changed)).not.toBe(address)
    expect(blobAddress(hashKey(key, 'library-a'), new Uint8Array(0))).toMatch(/^[0-9a-f]{64}$/)
  })

  it('differs between libraries and between library keys, and is not the plain SHA-256 a worker could compute', () => {
    const addresses = [
      blobAddress(hashKey(key, 'library-a'), body),
      blobAddress(hashKey(key, 'library-b'), body),
      blobAddress(hashKey(LibraryKey.generate(), 'library-a'), body),
      createHash('sha256').update(body).digest('hex'),
    ]
    expect(new Set(addresses).size).toBe(4)
  })

  it('uses the blob content-hash key, not another purpose of the same library key', () => {
    const other = blobAddress(key.derive('blobEncryption', 'library-a'), body)
    expect(other).not.toBe(blobAddress(hashKey(key, 'library-a'), body))
  })

  it('tells an address from what is not one', () => {
    for (const bad of ['a'.repeat(63), 'A'.repeat(64), `${'a'.repeat(64)}0`, 'g'.repeat(64), 42, undefined])
      expect(isBlobAddress(bad)).toBe(false)
  })
})
