import { appendFileSync, renameSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ensurePrivateDir, makePrivate, PRIVATE_FILE_MODE } from './private-files'

export type Log = (message: string) => void

export interface LogLimits {
  /** The size at which chronicle.log becomes chronicle.log.1 and a new one starts. */
  readonly maxBytes?: number
  /** How many old logs are kept (chronicle.log.1 is the newest). */
  readonly keep?: number
}

export const LOG_MAX_BYTES = 5 * 1024 * 1024
export const LOG_KEEP = 3

/**
 * Appends timestamped lines to <dataDir>/logs/chronicle.log (0600, in a 0700 folder); details that do not belong in a
 * one-line error go here. A process that runs for months must not fill the disk, so the log rotates at a size cap.
 * Every process sharing the data directory appends to the same file, so the size is read from the file each time.
 */
export function fileLogger(dataDir: string, limits: LogLimits = {}): Log {
  const dir = join(dataDir, 'logs')
  const file = join(dir, 'chronicle.log')
  const maxBytes = limits.maxBytes ?? LOG_MAX_BYTES
  const keep = Math.max(1, limits.keep ?? LOG_KEEP)
  let prepared = false
  const append = (line: string) => appendFileSync(file, line, { mode: PRIVATE_FILE_MODE })
  return (message) => {
    try {
      const line = `${new Date().toISOString()} ${message}\n`
      if (!prepared) {
        ensurePrivateDir(dir)
        makePrivate(file) // a log an older version left readable by others
        prepared = true
      }
      const size = sizeOf(file)
      if (size > 0 && size + Buffer.byteLength(line) > maxBytes) rotate(file, keep)
      try {
        append(line)
      } catch (error) {
        // The folder went away while the process ran: make it again rather than lose the log.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
        ensurePrivateDir(dir)
        append(line)
      }
    } catch {
      // Logging must never take the app down; the caller has already reported the failure to the user.
    }
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size
  } catch {
    return 0
  }
}

/** chronicle.log.N-1 -> .N, down to chronicle.log -> .1; the oldest beyond `keep` is dropped. */
function rotate(file: string, keep: number): void {
  rmSync(`${file}.${keep}`, { force: true })
  for (let n = keep - 1; n >= 1; n--) {
    try {
      renameSync(`${file}.${n}`, `${file}.${n + 1}`)
    } catch {
      // No log of that age yet.
    }
  }
  renameSync(file, `${file}.1`)
}
