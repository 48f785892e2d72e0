import type BetterSqlite3 from 'better-sqlite3'
import { RepositoryError } from '../errors'
import { migrationChecksum, type Migration } from '../migration'

interface AppliedMigration {
  readonly version: number
  readonly checksum: string
}

export interface MigrationPlan {
  readonly pending: readonly Migration[]
  readonly currentVersion: number
}

/**
 * Reads what the database has applied and decides what to do, writing nothing: a database from a newer Chronicle,
 * or one whose applied migrations were edited, is refused here before anything can alter it.
 */
export function planMigrations(
  db: BetterSqlite3.Database,
  migrations: readonly Migration[],
  file: string,
): MigrationPlan {
  const applied = readApplied(db, file)
  const known = new Map(migrations.map((m) => [m.version, m]))
  const latest = migrations.at(-1)?.version ?? 0
  const newest = applied.at(-1)?.version ?? 0
  if (newest > latest) {
    throw new RepositoryError(
      'DATABASE_FROM_FUTURE',
      `${file} was written by a newer Chronicle (schema version ${newest}; this one knows up to ${latest}); update Chronicle, the database was left untouched.`,
    )
  }
  for (const row of applied) {
    const migration = known.get(row.version)
    if (!migration || migrationChecksum(migration) !== row.checksum) {
      throw new RepositoryError(
        'MIGRATION_EDITED',
        `${file}: applied migration ${row.version} does not match this build's migration ${row.version} (checksum differs); restore the original migration file.`,
      )
    }
  }
  const appliedVersions = new Set(applied.map((r) => r.version))
  return { pending: migrations.filter((m) => !appliedVersions.has(m.version)), currentVersion: newest }
}

function readApplied(db: BetterSqlite3.Database, file: string): AppliedMigration[] {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[]
  if (!tables.includes('schema_migrations')) {
    if (tables.length > 0) {
      throw new RepositoryError(
        'NOT_A_CHRONICLE_DATABASE',
        `${file} is an SQLite database but not Chronicle's (it has no schema_migrations table); point --data-dir at another folder.`,
      )
    }
    return []
  }
  return db
    .prepare('SELECT version, checksum FROM schema_migrations ORDER BY version')
    .all() as AppliedMigration[]
}

/** Applies every pending migration in one transaction: the database moves to the new version whole, or not at all. */
export function applyMigrations(
  db: BetterSqlite3.Database,
  pending: readonly Migration[],
  now: () => number,
): void {
  if (pending.length === 0) return
  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      description TEXT NOT NULL,
      checksum TEXT NOT NULL,
      executed_at INTEGER NOT NULL,
      execution_ms REAL NOT NULL
    )`)
    const record = db.prepare(
      'INSERT INTO schema_migrations (version, description, checksum, executed_at, execution_ms) VALUES (?, ?, ?, ?, ?)',
    )
    for (const migration of pending) {
      const started = performance.now()
      db.exec(migration.sql)
      record.run(
        migration.version,
        migration.description,
        migrationChecksum(migration),
        now(),
        performance.now() - started,
      )
    }
  }).immediate()
}
