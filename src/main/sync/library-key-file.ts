/**
 * The library key in the data directory: 32 raw bytes in `library.key`, mode 0600, in a folder only its owner can
 * enter. It is written atomically (a crash leaves the old key or the new one, never half a key) and never over an
 * existing key, since replacing it would cut this machine off from its library.
 *
 * Reading is strict because whoever can read this file can read the whole library: a file that group or others can
 * read is refused with the command that fixes it rather than silently tightened, so the person learns the key may
 * have been exposed. A file of the wrong size, a link, or another user's file is refused too. No message ever
 * carries the key's bytes.
 *
 * On Windows there are no such modes; the user's profile folder is what protects the file (private-files.ts).
 *
 * In the desktop app, a new key is sealed by the system's keychain before it is written (sealed-library-key.ts):
 * then only the app can read it, and the command line says so. A key written plain stays plain.
 */
import { closeSync, constants, existsSync, fstatSync, openSync, readSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomicSync } from '../atomic-write'
import { ensurePrivateDir, octalMode, PRIVATE_FILE_MODE } from '../private-files'
import { LIBRARY_KEY_BYTES, LibraryKey } from './library-key'
import { readSealedKeyFile, SEALED_KEY_MAX_BYTES, sealedKeyFile } from './sealed-library-key'
import type { KeySealer } from './sealed-library-key'
import { SyncCryptoError } from './sync-crypto-encoding'

export const LIBRARY_KEY_FILE = 'library.key'

export type LibraryKeyFileErrorCode =
  | 'KEY_FILE_EXISTS'
  | 'KEY_FILE_NOT_PRIVATE'
  | 'KEY_FILE_WRONG_SIZE'
  | 'KEY_FILE_NOT_A_FILE'
  | 'KEY_FILE_UNREADABLE'
  | 'KEY_SEALED_BY_APP'
  | 'KEY_SEAL_UNOPENABLE'

/** One line that says what is wrong with the file and what to do; the CLI prints it as it is. */
export class LibraryKeyFileError extends SyncCryptoError<LibraryKeyFileErrorCode> {
  override readonly name = 'LibraryKeyFileError'
}

const hasModes = process.platform !== 'win32'

export const libraryKeyPath = (dataDir: string): string => join(dataDir, LIBRARY_KEY_FILE)

/** The process's keychain, set once by the desktop app at start; the command line and `serve` have none. */
let sealer: KeySealer | null = null

/** Seals the keys this process writes from now on, and opens sealed ones, with `next` (null: neither). */
export function sealKeysWith(next: KeySealer | null): void {
  sealer = next
}

/** Stores a new library's key. Refuses to replace a key that is already there: leave the library first. */
export function writeLibraryKey(dataDir: string, key: LibraryKey): void {
  ensurePrivateDir(dataDir)
  const file = libraryKeyPath(dataDir)
  if (existsSync(file))
    throw new LibraryKeyFileError(
      'KEY_FILE_EXISTS',
      `${file} already holds a library key; leave sync first (chronicle sync leave) before setting up or joining another library.`,
    )
  const bytes = sealer ? sealedKeyFile(sealer.keychain, sealer.seal(key.exportBytes())) : key.exportBytes()
  writeFileAtomicSync(file, bytes, { mode: PRIVATE_FILE_MODE })
}

/** This machine's library key, or null if it has none (sync not set up). */
export function readLibraryKey(dataDir: string): LibraryKey | null {
  const file = libraryKeyPath(dataDir)
  let fd: number
  try {
    // O_NOFOLLOW: a link could point the key at a file others control.
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return null
    if (code === 'ELOOP')
      throw new LibraryKeyFileError(
        'KEY_FILE_NOT_A_FILE',
        `${file} is a symbolic link; a library key must be a regular file. Replace it with the key file itself.`,
      )
    throw new LibraryKeyFileError(
      'KEY_FILE_UNREADABLE',
      `${file} cannot be read (${code ?? String(error)}); check that it belongs to you (chmod 600 ${file}).`,
    )
  }
  try {
    return LibraryKey.fromBytes(unsealed(readChecked(fd, file), file))
  } finally {
    closeSync(fd)
  }
}

function readChecked(fd: number, file: string): Buffer {
  const stat = fstatSync(fd)
  if (!stat.isFile())
    throw new LibraryKeyFileError('KEY_FILE_NOT_A_FILE', `${file} is not a regular file; move it aside.`)
  if (hasModes && stat.uid !== process.getuid?.())
    throw new LibraryKeyFileError(
      'KEY_FILE_NOT_PRIVATE',
      `${file} belongs to another user (uid ${stat.uid}); a library key must be yours alone. Move it aside and join the library again with a pairing code.`,
    )
  if (hasModes && (stat.mode & 0o077) !== 0)
    throw new LibraryKeyFileError(
      'KEY_FILE_NOT_PRIVATE',
      `${file} is readable by other users (mode ${octalMode(stat.mode)}); run \`chmod 600 ${file}\`. If others could have copied it, set up sync again with a new key.`,
    )
  // A sealed key is longer than a plain one; anything longer still is not read into memory.
  if (stat.size > SEALED_KEY_MAX_BYTES) throw wrongSize(file, stat.size)
  const bytes = Buffer.alloc(stat.size)
  let at = 0
  while (at < bytes.length) {
    const read = readSync(fd, bytes, at, bytes.length - at, at)
    if (read === 0) break
    at += read
  }
  if (at !== stat.size)
    throw new LibraryKeyFileError(
      'KEY_FILE_WRONG_SIZE',
      `${file} shrank while it was read (${at} of ${stat.size} bytes); try again.`,
    )
  return bytes
}

const wrongSize = (file: string, size: number) =>
  new LibraryKeyFileError(
    'KEY_FILE_WRONG_SIZE',
    `${file} holds ${size} bytes, but a library key is ${LIBRARY_KEY_BYTES}: it is damaged or not a key. Restore it from a backup, or leave sync and join again with a pairing code.`,
  )

/** The key's 32 bytes: the file's own, or what this process's keychain opens from a sealed file. */
function unsealed(bytes: Buffer, file: string): Buffer {
  if (bytes.length === LIBRARY_KEY_BYTES) return bytes
  const sealedFile = readSealedKeyFile(bytes)
  if (!sealedFile) throw wrongSize(file, bytes.length)
  const { keychain } = sealedFile
  if (!sealer)
    throw new LibraryKeyFileError(
      'KEY_SEALED_BY_APP',
      `${file} is sealed by the Chronicle desktop app with this system's keychain (${keychain}), so only the app can read it. Sync this data directory from the app; to sync it from the command line instead, leave sync in the app and join here with a pairing code (the key is then kept in a plain 0600 file).`,
    )
  let opened: Buffer
  try {
    opened = sealer.open(sealedFile.sealed)
  } catch (error) {
    throw unopenable(file, keychain, error instanceof Error ? error.message : String(error))
  }
  if (opened.length !== LIBRARY_KEY_BYTES) throw unopenable(file, keychain, `it held ${opened.length} bytes`)
  return opened
}

const unopenable = (file: string, keychain: string, why: string) =>
  new LibraryKeyFileError(
    'KEY_SEAL_UNOPENABLE',
    `${file} is sealed with ${keychain}, which cannot open it here (${why}): the keychain may have been reset, or the file copied from another machine or user. Leave sync and join again with a pairing code.`,
  )
