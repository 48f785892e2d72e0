/**
 * The checks `chronicle sync setup`, `join` and `leave` make before they write anything (sync.ts): no Chronicle runs
 * on the data directory, it has no remote yet, and the worker accepted the library's key. Each failure is a
 * SyncRefusal, one line a person can act on.
 */
import { existsSync } from 'node:fs'
import { tryLockDataDir } from '../../data-dir-lock'
import { libraryKeyPath } from '../../sync/library-key-file'
import { readSyncSettings } from '../../sync/sync-settings'
import type { WorkerAnswer } from '../../sync/sync-settings-remote'

/** A refusal a person can act on: one line on stderr, exit code 1. */
export class SyncRefusal extends Error {}

/** The worker's answer to a claim, as a refusal naming the URL; null when it accepted. */
export function claimRefusal(answer: WorkerAnswer, url: string, storeId: string): SyncRefusal | null {
  switch (answer.kind) {
    case 'claimed':
    case 'accepted':
      return null
    case 'unreachable':
      return new SyncRefusal(`${answer.message}; nothing was written`)
    case 'failed':
      return new SyncRefusal(`${answer.message}; nothing was written`)
    case 'refused':
      return answer.status === 409
        ? new SyncRefusal(
            `the worker at ${url} refused this pairing code's key for library ${storeId}: the library is claimed ` +
              'with another key, so this code is not the one its `chronicle sync setup` printed (a code from ' +
              'another or an older setup). Use that code; nothing was written',
          )
        : new SyncRefusal(
            `the worker at ${url} refused (HTTP ${answer.status} ${answer.error}: ${answer.message}); nothing was written`,
          )
  }
}

/** Setup and join start only in a data directory without a remote or a key of its own. */
export function assertNoRemote(dataDir: string): void {
  const settings = readSyncSettings(dataDir)
  if (settings !== null)
    throw new SyncRefusal(
      `this data directory already syncs library ${settings.storeId} through ${settings.url}; run ` +
        '`chronicle sync leave` first to set up or join another',
    )
  if (existsSync(libraryKeyPath(dataDir)))
    throw new SyncRefusal(
      `${libraryKeyPath(dataDir)} already holds a library key (left by an interrupted setup or join); run ` +
        '`chronicle sync leave` first',
    )
}

/**
 * Setup, join and leave change what a running Chronicle on this data directory would relay to, so they wait until
 * none runs, as `prices use` does. A folder that does not exist yet has no Chronicle on it.
 */
export function holdDataDir(dataDir: string, sub: string): () => void {
  if (!existsSync(dataDir)) return () => undefined
  const lock = tryLockDataDir(dataDir, `chronicle sync ${sub}`)
  if (lock.locked) return () => lock.release()
  const { holder, pid } = lock.heldBy
  throw new SyncRefusal(`${holder} (pid ${pid}) holds this library; stop it, then run this command again`)
}
