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
 */
import { closeSync, constants, existsSync, fstatSync, openSync, readSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomicSync } from '../atomic-write'
import { ensurePrivateDir, octalMode, PRIVATE_FILE_MODE } from '../private-files'
import { LIBRARY_KEY_BYTES, LibraryKey } from './library-key'
import { SyncCryptoError } from './sync-crypto-encoding'

export const LIBRARY_KEY_FILE = 'library.key'

export type LibraryKeyFileErrorCode =
  | 'KEY_FILE_EXISTS'
  | 'KEY_FILE_NOT_PRIVATE'
  | 'KEY_FILE_WRONG_SIZE'
  | 'KEY_FILE_NOT_A_FILE'
  | 'KEY_FILE_UNREADABLE'

/** One line that says what is wrong with the file and what to do; the CLI prints it as it is. */
export class LibraryKeyFileError extends SyncCryptoError<LibraryKeyFileErrorCode> {
  override readonly name = 'LibraryKeyFileError'
}

const hasModes = process.platform !== 'win32'

export const libraryKeyPath = (dataDir: string): string => join(dataDir, LIBRARY_KEY_FILE)

/** Stores a new library's key. Refuses to replace a key that is already there: leave the library first. */
export function writeLibraryKey(dataDir: string, key: LibraryKey): void {
  ensurePrivateDir(dataDir)
  const file = libraryKeyPath(dataDir)
  if (existsSync(file))
    throw new LibraryKeyFileError(
      'KEY_FILE_EXISTS',
      `${file} already holds a library key; leave sync first (chronicle sync leave) before setting up or joining another library.`,
    )
  writeFileAtomicSync(file, key.exportBytes(), { mode: PRIVATE_FILE_MODE })
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
    return LibraryKey.fromBytes(readChecked(fd, file))
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
  if (stat.size !== LIBRARY_KEY_BYTES)
    throw new LibraryKeyFileError(
      'KEY_FILE_WRONG_SIZE',
      `${file} holds ${stat.size} bytes, but a library key is ${LIBRARY_KEY_BYTES}: it is damaged or not a key. Restore it from a backup, or leave sync and join again with a pairing code.`,
    )
  const bytes = Buffer.alloc(LIBRARY_KEY_BYTES)
  let at = 0
  while (at < bytes.length) {
    const read = readSync(fd, bytes, at, bytes.length - at, at)
    if (read === 0) break
    at += read
  }
  if (at !== LIBRARY_KEY_BYTES)
    throw new LibraryKeyFileError(
      'KEY_FILE_WRONG_SIZE',
      `${file} shrank while it was read (${at} of ${LIBRARY_KEY_BYTES} bytes); try again.`,
    )
  return bytes
}
