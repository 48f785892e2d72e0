/**
 * The key file on a real file system: written 0600 in a private folder, read back as the same key, and refused
 * with a message that says what to do. The bad inputs: a 0644 key file (and a 0640 one), a 31-byte and a 33-byte
 * file, an empty file, a 0755 data directory, a symbolic link, a folder in the key's place, and a second write
 * over an existing key.
 */
import {
  chmodSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useScratch } from '../repository/test-support/scratch'
import { libraryKeyRefusal } from './test-support/library-key-refusal'
import { LibraryKey } from './library-key'
import { libraryKeyPath, readLibraryKey, writeLibraryKey } from './library-key-file'

const scratch = useScratch()
const posix = process.platform !== 'win32'

describe('library key file', () => {
  it('writes the key 0600 in a 0700 folder and reads the same key back', () => {
    const dataDir = join(scratch.dir(), 'data')
    const key = LibraryKey.generate()
    writeLibraryKey(dataDir, key)
    const file = libraryKeyPath(dataDir)
    expect(readFileSync(file)).toEqual(key.exportBytes())
    if (posix) {
      expect(statSync(file).mode & 0o777).toBe(0o600)
      expect(statSync(dataDir).mode & 0o777).toBe(0o700)
    }
    expect(readLibraryKey(dataDir)?.equals(key)).toBe(true)
  })

  it.runIf(posix)('closes an existing 0755 data directory to others before writing the key into it', () => {
    const dataDir = scratch.dir()
    chmodSync(dataDir, 0o755)
    writeLibraryKey(dataDir, LibraryKey.generate())
    expect(statSync(dataDir).mode & 0o777).toBe(0o700)
    expect(readdirSync(dataDir)).toEqual(['library.key'])
  })

  it('reads no key as null: sync is not set up', () => {
    expect(readLibraryKey(scratch.dir())).toBeNull()
  })

  it('refuses to write over an existing key', () => {
    const dataDir = scratch.dir()
    const first = LibraryKey.generate()
    writeLibraryKey(dataDir, first)
    expect(() => writeLibraryKey(dataDir, LibraryKey.generate())).toThrow(/already holds a library key/)
    expect(readLibraryKey(dataDir)?.equals(first)).toBe(true)
  })

  it.runIf(posix)('refuses a 0644 or 0640 key file, saying chmod 600 and never showing the key', () => {
    const dataDir = scratch.dir()
    const key = LibraryKey.generate()
    writeLibraryKey(dataDir, key)
    const file = libraryKeyPath(dataDir)
    for (const mode of [0o644, 0o640]) {
      chmodSync(file, mode)
      const error = libraryKeyRefusal(dataDir)
      expect(error.code).toBe('KEY_FILE_NOT_PRIVATE')
      expect(error.message).toContain(`chmod 600 ${file}`)
      expect(error.message).toContain(`0${mode.toString(8)}`)
      for (const encoding of ['hex', 'base64', 'base64url', 'latin1'] as const)
        expect(error.message).not.toContain(key.exportBytes().toString(encoding).slice(0, 8))
    }
    chmodSync(file, 0o600)
    expect(readLibraryKey(dataDir)?.equals(key)).toBe(true)
  })

  it('refuses a 31-byte, a 33-byte and an empty key file', () => {
    const dataDir = scratch.dir()
    const file = libraryKeyPath(dataDir)
    for (const size of [31, 33, 0]) {
      writeFileSync(file, Buffer.alloc(size, 1), { mode: 0o600 })
      const error = libraryKeyRefusal(dataDir)
      expect(error.code).toBe('KEY_FILE_WRONG_SIZE')
      expect(error.message).toContain(`holds ${size} bytes, but a library key is 32`)
    }
  })

  it.runIf(posix)('refuses a symbolic link in place of the key, even to a good key file', () => {
    const dataDir = scratch.dir()
    const elsewhere = scratch.dir()
    writeLibraryKey(elsewhere, LibraryKey.generate())
    symlinkSync(libraryKeyPath(elsewhere), libraryKeyPath(dataDir))
    expect(libraryKeyRefusal(dataDir).code).toBe('KEY_FILE_NOT_A_FILE')
  })

  it('refuses a folder in place of the key', () => {
    const dataDir = scratch.dir()
    mkdirSync(libraryKeyPath(dataDir), { mode: 0o700 })
    expect(['KEY_FILE_NOT_A_FILE', 'KEY_FILE_UNREADABLE']).toContain(libraryKeyRefusal(dataDir).code)
  })
})
