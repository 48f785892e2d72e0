/**
 * The library is one person's: the data directory is 0700 and every file Chronicle writes is 0600, so another user
 * of the machine reads nothing (conversations, the log, exports, the hub's token). Modes are given when a file is
 * made; the process umask (set by each entry point) covers files that libraries make (SQLite, LiveStore).
 * Windows has no such modes: there the checks are skipped and the user's profile folder is what protects the data.
 */
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs'

export const PRIVATE_FILE_MODE = 0o600
export const PRIVATE_DIR_MODE = 0o700
/** Leaves group and others no bit on anything the process makes. */
export const PRIVATE_UMASK = 0o077

const hasModes = process.platform !== 'win32'

/**
 * Sets the umask of the whole process (not allowed in worker threads, and not wanted in a test runner): for the
 * entry points only.
 */
export function usePrivateUmask(): void {
  if (hasModes) process.umask(PRIVATE_UMASK)
}

/** Group and others lose every bit; the owner's stay as they are (a read-only folder or file stays read-only). */
const ownerOnly = (mode: number): number => mode & 0o700

/**
 * Makes `dir` (and missing parents) with mode 0700; an existing one of this user that others can enter loses
 * their bits. Returns the mode it had when it was tightened, so the caller can say so once, else null.
 */
export function ensurePrivateDir(dir: string): number | null {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE })
  if (!hasModes) return null
  const stat = statSync(dir)
  const loose = stat.mode & 0o077
  if (loose === 0 || !stat.isDirectory() || stat.uid !== process.getuid?.()) return null
  chmodSync(dir, ownerOnly(stat.mode))
  return stat.mode & 0o777
}

/** Takes group's and others' bits off an existing file (one that is not there is left alone). */
export function makePrivate(file: string): void {
  if (!hasModes) return
  try {
    const { mode } = statSync(file)
    if ((mode & 0o077) !== 0) chmodSync(file, ownerOnly(mode))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
}

/** writeFileSync whose file is 0600 whether it is made or replaced in place. */
export function writePrivateFile(file: string, data: string | Uint8Array): void {
  writeFileSync(file, data, { mode: PRIVATE_FILE_MODE })
  makePrivate(file)
}

/** A mode as `ls` shows it in octal, for messages: 0755. */
export const octalMode = (mode: number): string => `0${(mode & 0o777).toString(8)}`
