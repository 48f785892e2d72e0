/**
 * A library key sealed by the desktop app's keychain, on a real file system. Electron's safeStorage cannot run here,
 * so a stand-in keychain seals with AES-256-GCM under a key of its own: a real cipher, so a wrong keychain really
 * fails to open. The bad inputs: a sealed key read by a process without the keychain (the command line), by
 * another keychain, a sealed file whose body is garbled or cut, one that opens to the wrong size, and one far too
 * large to be a key.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { useScratch } from '../repository/test-support/scratch'
import { libraryKeyRefusal } from './test-support/library-key-refusal'
import { LibraryKey } from './library-key'
import { libraryKeyPath, readLibraryKey, sealKeysWith, writeLibraryKey } from './library-key-file'
import { isRealKeychain, type KeySealer } from './sealed-library-key'
import { readSyncRemoteOrProblem, writeSyncSettings } from './sync-settings'

const scratch = useScratch()
afterEach(() => sealKeysWith(null))

function standInKeychain(keychain = 'gnome_libsecret'): KeySealer {
  const secret = randomBytes(32)
  return {
    keychain,
    seal(key) {
      const nonce = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', secret, nonce)
      return Buffer.concat([nonce, cipher.update(key), cipher.final(), cipher.getAuthTag()])
    },
    open(sealed) {
      const decipher = createDecipheriv('aes-256-gcm', secret, sealed.subarray(0, 12))
      decipher.setAuthTag(sealed.subarray(-16))
      return Buffer.concat([decipher.update(sealed.subarray(12, -16)), decipher.final()])
    },
  }
}

const keyShownIn = (text: string, key: LibraryKey) =>
  (['hex', 'base64', 'base64url'] as const).some((encoding) =>
    text.includes(key.exportBytes().toString(encoding).slice(0, 12)),
  )

describe('a library key sealed by the system keychain', () => {
  it('is written sealed, 0600, holding none of the key, and read back as the same key', () => {
    const dataDir = scratch.dir()
    sealKeysWith(standInKeychain())
    const key = LibraryKey.generate()
    writeLibraryKey(dataDir, key)
    const file = libraryKeyPath(dataDir)
    const written = readFileSync(file)
    expect(written.toString()).toMatch(/^chronicle-sealed-library-key 1 gnome_libsecret\n[A-Za-z0-9+/]+=*\n$/)
    expect(keyShownIn(written.toString('latin1'), key)).toBe(false)
    expect(written.includes(key.exportBytes())).toBe(false)
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readLibraryKey(dataDir)?.equals(key)).toBe(true)
  })

  it('is refused where there is no keychain (the command line, serve), saying the app holds it and the way out', () => {
    const dataDir = scratch.dir()
    sealKeysWith(standInKeychain('kwallet5'))
    const key = LibraryKey.generate()
    writeLibraryKey(dataDir, key)
    writeSyncSettings(dataDir, {
      url: 'https://sync.example.org/',
      storeId: 'chronicle-sealed',
      joinedAt: '2026-12-06T00:00:00.000Z',
      role: 'set-up',
    })
    sealKeysWith(null)
    const error = libraryKeyRefusal(dataDir)
    expect(error.code).toBe('KEY_SEALED_BY_APP')
    expect(error.message).toContain(
      "sealed by the Chronicle desktop app with this system's keychain (kwallet5)",
    )
    expect(error.message).toContain('leave sync in the app and join here with a pairing code')
    expect(keyShownIn(error.message, key)).toBe(false)
    // What `serve` and `chronicle sync status` read: a problem to show, not a crash and not "no remote".
    expect(readSyncRemoteOrProblem(dataDir)).toEqual({ problem: error.message })
  })

  it('is refused, with the way out, by another keychain (reset, or the file copied from elsewhere)', () => {
    const dataDir = scratch.dir()
    sealKeysWith(standInKeychain())
    writeLibraryKey(dataDir, LibraryKey.generate())
    sealKeysWith(standInKeychain())
    const error = libraryKeyRefusal(dataDir)
    expect(error.code).toBe('KEY_SEAL_UNOPENABLE')
    expect(error.message).toContain('is sealed with gnome_libsecret, which cannot open it here')
    expect(error.message).toContain('join again with a pairing code')
  })

  it('leaves a key written plain before as it is, and still reads it', () => {
    const dataDir = scratch.dir()
    const key = LibraryKey.generate()
    writeLibraryKey(dataDir, key)
    sealKeysWith(standInKeychain())
    expect(readLibraryKey(dataDir)?.equals(key)).toBe(true)
    expect(readFileSync(libraryKeyPath(dataDir))).toEqual(key.exportBytes())
  })

  it('refuses a sealed file that is garbled, cut, opens to the wrong size, or is far too large', () => {
    const dataDir = scratch.dir()
    const keychain = standInKeychain()
    sealKeysWith(keychain)
    const file = libraryKeyPath(dataDir)
    const header = 'chronicle-sealed-library-key 1 gnome_libsecret\n'
    const bad: [string | Buffer, string][] = [
      [`${header}not base64 at all!\n`, 'KEY_FILE_WRONG_SIZE'],
      [header, 'KEY_FILE_WRONG_SIZE'],
      [
        `${header}${keychain.seal(randomBytes(32)).subarray(0, 20).toString('base64')}\n`,
        'KEY_SEAL_UNOPENABLE',
      ],
      [`${header}${keychain.seal(randomBytes(16)).toString('base64')}\n`, 'KEY_SEAL_UNOPENABLE'],
      [Buffer.concat([Buffer.from(header), Buffer.alloc(5000, 0x41)]), 'KEY_FILE_WRONG_SIZE'],
    ]
    for (const [content, code] of bad) {
      writeFileSync(file, content, { mode: 0o600 })
      expect(libraryKeyRefusal(dataDir).code).toBe(code)
    }
  })

  it('is used only with a real keychain, never with Electron’s fixed-password fallback', () => {
    for (const keychain of ['basic_text', 'unknown', '']) expect(isRealKeychain(keychain)).toBe(false)
    for (const keychain of [
      'gnome_libsecret',
      'kwallet',
      'kwallet5',
      'kwallet6',
      'macos-keychain',
      'windows-dpapi',
    ])
      expect(isRealKeychain(keychain)).toBe(true)
  })
})
