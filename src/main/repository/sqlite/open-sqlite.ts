import BetterSqlite3 from 'better-sqlite3'
import { explainSqliteError } from '../errors'
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
}

/**
 * Opens (or creates) the database and brings its schema up to date. Everything that can be refused (a corrupt
 * file, a lock, a newer schema, an edited migration) is checked with reads only, before the first write, so a
 * refused file is left exactly as it was.
 */
export function openSqlite(options: OpenSqliteOptions): BetterSqlite3.Database {
  const { file, migrations } = options
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
    applyMigrations(db, plan.pending, options.now ?? Date.now)
    return db
  } catch (error) {
    db.close()
    explainSqliteError(error, file)
  }
}
