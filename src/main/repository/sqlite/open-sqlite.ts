import BetterSqlite3 from 'better-sqlite3'
import { accessSync, constants, existsSync } from 'node:fs'
import { makePrivate } from '../../private-files'
import { explainSqliteError, RepositoryError } from '../errors'
import type { Migration } from '../migration'
import { applyMigrations, planMigrations } from './migrator'

export interface OpenSqliteOptions {
  readonly file: string
  readonly migrations: readonly Migration[]
  /** How long a write waits for another process's lock before DATABASE_LOCKED. */
  readonly busyTimeoutMs?: number
  readonly now?: () => number
  /** For tests: the native addon to load (Electron needs one built for its own ABI). */
  readonly nativeBinding?: string
  /** The page cache, in KiB (default DEFAULT_CACHE_KIB); a process that only streams through the data needs little. */
  readonly cacheKiB?: number
  /** Told, before it starts, of an upgrade of an existing library that takes a while (Migration.slowWork). */
  readonly onLongUpgrade?: (message: string) => void
}

/** The one line that says why opening takes a while: each slow step of the upgrade, once each. */
export const longUpgradeMessage = (works: readonly string[]): string =>
  `Upgrading your library to this version of Chronicle (once): ${[...new Set(works)].join('; ')}…`

/**
 * The page cache of a connection, in KiB. SQLite's default, 2 MB, made inserts into the message and full-text
 * indexes of a large history 8% slower than 64 MB (250,000 messages). The cache fills as pages are read and stays
 * full for the connection's life, and what SQLite frees malloc mostly keeps: after the app's bridge had read a
 * 100,000-message import, the long-lived main process held all 64 MB of it. 16 MB writes and searches about as
 * fast (CPU time on this machine, interleaved runs: the bench corpus of 300,000 messages written in 27.5 and 25.3 s
 * against 25.8 and 25.6 s at 64 MB, its queries 1.58 and 1.38 s against 1.55 and 1.37; 100,000 messages 8.5 to
 * 9.8 s against 8.8 to 9.3; bench import medium 61.6 and 78.3 s of wall time against 60.3 and 83.0), and 8 MB was
 * slower (71.6 and 87.4 s).
 */
export const DEFAULT_CACHE_KIB = 16_384

/**
 * Opens (or creates) the database and brings its schema up to date. Everything that can be refused (a corrupt
 * file, a lock, a newer schema, an edited migration) is checked with reads only, before the first write, so a
 * refused file is left exactly as it was.
 */
export function openSqlite(options: OpenSqliteOptions): BetterSqlite3.Database {
  const { file, migrations } = options
  refuseWriteProtected(file)
  let db: BetterSqlite3.Database
  try {
    db = new BetterSqlite3(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {})
  } catch (error) {
    explainSqliteError(error, file)
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5_000))}`)
    const plan = planMigrations(db, migrations, file)
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    db.pragma(`cache_size = -${Math.max(512, Math.floor(options.cacheKiB ?? DEFAULT_CACHE_KIB))}`)
    const slow = plan.pending.flatMap((m) => (m.slowWork === undefined ? [] : [m.slowWork]))
    if (plan.currentVersion > 0 && slow.length > 0) options.onLongUpgrade?.(longUpgradeMessage(slow))
    applyMigrations(db, plan.pending, options.now ?? Date.now)
    // SQLite makes the file with the process umask (0644 in a library or a test) and its WAL and shared memory with
    // the file's mode: the database is 0600 from here on, and so are they.
    for (const suffix of ['', '-wal', '-shm']) makePrivate(`${file}${suffix}`)
    return db
  } catch (error) {
    db.close()
    explainSqliteError(error, file)
  }
}

/** SQLite opens a write-protected file read-only without a word, and every later write would fail: refuse it now. */
function refuseWriteProtected(file: string): void {
  if (!existsSync(file)) return
  try {
    accessSync(file, constants.R_OK | constants.W_OK)
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error)
    throw new RepositoryError(
      'DATA_DIR_NOT_WRITABLE',
      `Cannot write ${file} (${reason}); make it writable, or choose another folder with --data-dir or CHRONICLE_DATA_DIR.`,
    )
  }
}
