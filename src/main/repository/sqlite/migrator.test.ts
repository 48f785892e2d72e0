/** The migrator's bookkeeping and refusals, on real files: what it records, what it re-runs, what it refuses. */
import BetterSqlite3 from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Migration } from '../migration'
import { DATABASE_FILE } from '../repository'
import { expectRefusal } from '../test-support/expect-refusal'
import { sha256File, useScratch } from '../test-support/scratch'
import { applyMigrations, planMigrations } from './migrator'
import { sqliteMigrations } from './migrations'
import { openSqlite } from './open-sqlite'

const scratch = useScratch()

function newFile(): string {
  return join(scratch.dir(), DATABASE_FILE)
}

function open(
  file: string,
  migrations: readonly Migration[] = sqliteMigrations,
  now = () => 1_000,
): BetterSqlite3.Database {
  const db = openSqlite({ file, migrations, now })
  scratch.defer(() => db.close())
  return db
}

function raw(file: string): BetterSqlite3.Database {
  const db = new BetterSqlite3(file)
  scratch.defer(() => db.close())
  return db
}

const tables = (db: BetterSqlite3.Database): string[] =>
  db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all() as string[]

const latest = sqliteMigrations.length

const failing: Migration = {
  version: latest + 1,
  description: 'fails halfway',
  sql: 'CREATE TABLE partial (x); SELECT * FROM nowhere;',
}

describe('schema_migrations', () => {
  it('records version, description, sha256 checksum, executed_at and execution_ms for every migration', () => {
    const db = open(newFile(), sqliteMigrations, () => 1_234)
    const rows = db.prepare('SELECT * FROM schema_migrations ORDER BY version').all() as Record<
      string,
      unknown
    >[]
    expect(rows.map((r) => r.version)).toEqual(sqliteMigrations.map((m) => m.version))
    rows.forEach((row, i) => {
      const migration = sqliteMigrations[i]!
      expect(row.description).toBe(migration.description)
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/)
      expect(row.checksum).toBe(createHash('sha256').update(migration.sql).digest('hex'))
      expect(row.executed_at).toBe(1_234)
      expect(typeof row.execution_ms).toBe('number')
      expect(row.execution_ms).toBeGreaterThanOrEqual(0)
    })
  })

  it('applies nothing when the file is re-opened (executed_at keeps the first run)', () => {
    const file = newFile()
    open(file, sqliteMigrations, () => 1_000).close()
    const before = raw(file).prepare('SELECT * FROM schema_migrations ORDER BY version').all()
    const db = open(file, sqliteMigrations, () => 9_999)
    expect(planMigrations(db, sqliteMigrations, file).pending).toEqual([])
    expect(db.prepare('SELECT * FROM schema_migrations ORDER BY version').all()).toEqual(before)
  })

  it('applies only the new migration when the build adds one', () => {
    const file = newFile()
    open(file, sqliteMigrations.slice(0, latest - 1)).close()
    const db = open(file, sqliteMigrations, () => 5_000)
    expect(db.prepare('SELECT version, executed_at FROM schema_migrations ORDER BY version').all()).toEqual(
      sqliteMigrations.map(({ version }) => ({ version, executed_at: version < latest ? 1_000 : 5_000 })),
    )
  })
})

describe('edited migrations', () => {
  it('refuses a database whose recorded checksum was tampered with: MIGRATION_EDITED, file untouched', () => {
    const file = newFile()
    open(file).close()
    const db = raw(file)
    db.prepare(`UPDATE schema_migrations SET checksum = ? WHERE version = 2`).run('0'.repeat(64))
    db.close()
    const before = sha256File(file)
    expect(expectRefusal(() => open(file), 'MIGRATION_EDITED').message).toContain('migration 2')
    expect(sha256File(file)).toBe(before)
  })

  it('refuses a build whose SQL for an applied migration differs: MIGRATION_EDITED', () => {
    const file = newFile()
    open(file).close()
    const edited = sqliteMigrations.map((m) => (m.version === 1 ? { ...m, sql: `${m.sql}\n-- edited` } : m))
    expectRefusal(() => open(file, edited), 'MIGRATION_EDITED')
  })

  it('refuses a build that no longer has an applied migration: MIGRATION_EDITED', () => {
    const file = newFile()
    open(file).close()
    const withoutTwo = sqliteMigrations.filter((m) => m.version !== 2)
    expectRefusal(() => open(file, withoutTwo), 'MIGRATION_EDITED')
  })
})

describe('one transaction', () => {
  it('leaves a fresh file with no tables at all when the last pending migration fails', () => {
    const file = newFile()
    expect(() => open(file, [...sqliteMigrations, failing])).toThrow(/nowhere/)
    expect(tables(raw(file))).toEqual([])
  })

  it('leaves an existing database at its old version, without the failing migration’s partial table', () => {
    const file = newFile()
    open(file).close()
    expect(() => open(file, [...sqliteMigrations, failing])).toThrow(/nowhere/)
    const db = raw(file)
    expect(db.prepare('SELECT max(version) FROM schema_migrations').pluck().get()).toBe(latest)
    expect(tables(db)).not.toContain('partial')
  })

  it('rolls back earlier pending migrations of the same run too (applyMigrations directly)', () => {
    const file = newFile()
    const db = raw(file)
    applyMigrations(db, sqliteMigrations.slice(0, 1), () => 1)
    expect(() => applyMigrations(db, [...sqliteMigrations.slice(1), failing], () => 2)).toThrow(/nowhere/)
    expect(db.prepare('SELECT version FROM schema_migrations').pluck().all()).toEqual([1])
    expect(tables(db)).not.toContain('changes')
    expect(tables(db)).not.toContain('messages_fts')
  })
})
