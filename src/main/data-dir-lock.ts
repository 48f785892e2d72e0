/**
 * One process at a time runs the main LiveStore store and the bridge on a data directory: two leaders over the
 * same eventlog files would fork it. The app, `chronicle serve` and the command line's trail catch-up take
 * `chronicle.lock` (created exclusively, holding the pid and what runs) and remove it when they stop. A lock left
 * by a process that died is recognised by its pid and taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { PRIVATE_FILE_MODE } from './private-files'

export const LOCK_FILE = 'chronicle.lock'

export interface LockHolder {
  readonly pid: number
  /** What holds it, in words: "chronicle serve", "the Chronicle app", "chronicle audit export". */
  readonly holder: string
}

export type LockAttempt =
  { readonly locked: true; release(): void } | { readonly locked: false; readonly heldBy: LockHolder }

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly heldBy: LockHolder,
  ) {
    super(
      `${heldBy.holder} (pid ${heldBy.pid}) is already running on ${dataDir}; use that one, or stop it first ` +
        `(if no Chronicle is running, remove ${join(dataDir, LOCK_FILE)})`,
    )
  }
}

export const processAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: a process of another user has that pid; it is alive, and not ours to judge.
    return (error as { code?: unknown }).code === 'EPERM'
  }
}

function readHolder(file: string): LockHolder | null {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>
    if (typeof value.pid !== 'number' || !Number.isInteger(value.pid) || value.pid <= 0) return null
    return {
      pid: value.pid,
      holder: typeof value.holder === 'string' ? value.holder.slice(0, 80) : 'Chronicle',
    }
  } catch {
    return null
  }
}

/** Takes the lock, or says who holds it. A lock whose process is gone, or that is unreadable, is taken over. */
export function tryLockDataDir(dataDir: string, holder: string): LockAttempt {
  const file = join(dataDir, LOCK_FILE)
  const mine: LockHolder = { pid: process.pid, holder }
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number
    try {
      fd = openSync(file, 'wx', PRIVATE_FILE_MODE)
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EEXIST') throw error
      const held = readHolder(file)
      if (held && held.pid !== process.pid && processAlive(held.pid)) return { locked: false, heldBy: held }
      // Left by a process that died (or half-written by one): remove it and try once more.
      rmSync(file, { force: true })
      continue
    }
    try {
      writeSync(fd, JSON.stringify(mine))
    } finally {
      closeSync(fd)
    }
    let released = false
    return {
      locked: true,
      release() {
        if (released) return
        released = true
        if (readHolder(file)?.pid === process.pid) rmSync(file, { force: true })
      },
    }
  }
  const held = readHolder(file)
  return { locked: false, heldBy: held ?? { pid: 0, holder: 'another Chronicle' } }
}

/** Takes the lock or throws DataDirLockedError. */
export function lockDataDir(dataDir: string, holder: string): () => void {
  const attempt = tryLockDataDir(dataDir, holder)
  if (!attempt.locked) throw new DataDirLockedError(dataDir, attempt.heldBy)
  return () => attempt.release()
}
