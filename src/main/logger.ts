import { appendFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'

export type Log = (message: string) => void

/** Appends timestamped lines to <dataDir>/logs/chronicle.log; details that do not belong in a one-line error go here. */
export function fileLogger(dataDir: string): Log {
  const dir = join(dataDir, 'logs')
  const file = join(dir, 'chronicle.log')
  return (message) => {
    try {
      mkdirSync(dir, { recursive: true })
      appendFileSync(file, `${new Date().toISOString()} ${message}\n`)
    } catch {
      // Logging must never take the app down; the caller has already reported the failure to the user.
    }
  }
}
