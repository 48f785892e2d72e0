/**
 * Key derivation: one library key gives a different key per purpose and per store id, the same keys every time,
 * and never shows its bytes when printed. The bad inputs: a key of the wrong length, a store id with characters
 * outside its alphabet, and a key passed to a logger or JSON.stringify.
 */
import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { deriveSyncKeys, KEY_PURPOSES, LibraryKey, tokenHash, type KeyPurpose } from './library-key'

const purposes = Object.keys(KEY_PURPOSES) as KeyPurpose[]
const hex = (key: LibraryKey, purpose: KeyPurpose, storeId: string) =>
  key.derive(purpose, storeId).export().toString('hex')

describe('LibraryKey', () => {
  it('derives a different 32-byte key for each purpose', () => {
    const key = LibraryKey.generate()
    const derived = purposes.map((purpose) => hex(key, purpose, 'chronicle'))
    expect(new Set(derived).size).toBe(purposes.length)
    for (const value of derived) expect(value).toHaveLength(64)
    expect(derived).not.toContain(key.exportBytes().toString('hex'))
  })

  it('derives a different key for each store id, and the same key again for the same one', () => {
    const key = LibraryKey.generate()
    for (const purpose of purposes) {
      expect(hex(key, purpose, 'library-a')).not.toBe(hex(key, purpose, 'library-b'))
      expect(hex(key, purpose, 'library-a')).toBe(hex(key, purpose, 'library-a'))
    }
    const copy = LibraryKey.fromBytes(key.exportBytes())
    expect(copy.equals(key)).toBe(true)
    expect(hex(copy, 'eventArgs', 'library-a')).toBe(hex(key, 'eventArgs', 'library-a'))
  })

  it('matches HKDF-SHA256 with the store id as salt and the purpose label as info (a fixed vector)', () => {
    const key = LibraryKey.fromBytes(Buffer.alloc(32, 7))
    // Computed independently with Python's hmac module (RFC 5869 by hand), so a change of salt or label fails here.
    expect(deriveSyncKeys(key, 'chronicle').workerToken).toBe(WORKER_TOKEN_VECTOR)
  })

  it('gives a worker token in base64url and a SHA-256 hex hash of it', () => {
    const keys = deriveSyncKeys(LibraryKey.generate(), 'chronicle')
    expect(keys.workerToken).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(tokenHash(keys.workerToken)).toMatch(/^[0-9a-f]{64}$/)
    expect(tokenHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })

  it('refuses a key of 31 or 33 bytes and a store id with a slash or of 65 characters', () => {
    expect(() => LibraryKey.fromBytes(Buffer.alloc(31))).toThrow(/32 bytes, not 31/)
    expect(() => LibraryKey.fromBytes(Buffer.alloc(33))).toThrow(/32 bytes, not 33/)
    const key = LibraryKey.generate()
    expect(() => key.derive('eventArgs', 'a/b')).toThrow(/store id/)
    expect(() => key.derive('eventArgs', 'a'.repeat(65))).toThrow(/store id/)
    expect(() => key.derive('eventArgs', '')).toThrow(/store id/)
  })

  it('never shows its bytes in String(), JSON.stringify or inspect', () => {
    const key = LibraryKey.generate()
    const bytes = key.exportBytes()
    const shown = [String(key), JSON.stringify({ key }), inspect(key), inspect({ nested: { key } })].join(' ')
    for (const encoding of ['hex', 'base64', 'base64url'] as const)
      expect(shown).not.toContain(bytes.toString(encoding).slice(0, 12))
    expect(shown).toContain('[LibraryKey]')
  })
})

const WORKER_TOKEN_VECTOR = 'nOMw78LzwgRDSR5X5SuL7n5BTLWJDWq6rqAjeC22eYw'
