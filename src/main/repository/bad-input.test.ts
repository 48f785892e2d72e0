/**
 * Files and folders the repository must refuse, with the right code and a one-line message, and without changing
 * a single byte of what it refused.
 */
import BetterSqlite3 from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  openSync,
  closeSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { openRepository, DATABASE_FILE } from './repository'
import { applyMigrations, planMigrations } from './sqlite/migrator'
import { sqliteMigrations } from './sqlite/migrations'
import { runNodeScript, startNodeScript } from './test-support/child-node'
import { expectRefusal } from './test-support/expect-refusal'
import { NOBODY, othersCanTraverse, runningAsRoot } from './test-support/run-as-nobody'
import { sha256File, useScratch } from './test-support/scratch'

const scratch = useScratch()

/** A Chronicle database with one conversation in it, closed, in a new data directory. */
async function chronicleDatabase(): Promise<{ dataDir: string; file: string }> {
  const repo = scratch.open()
  await repo.write('import', (w) =>
    w.upsertConversations([
      { id: 'c1', source: 'roo', sourceId: 't1', title: 'Kept safe', createdAt: 1_000 },
    ]),
  )
  await repo.close()
  return { dataDir: join(repo.file, '..'), file: repo.file }
}

function overwrite(file: string, position: number, bytes: Buffer): void {
  const fd = openSync(file, 'r+')
  writeSync(fd, bytes, 0, bytes.length, position)
  closeSync(fd)
}

function journalMode(file: string): unknown {
  const db = new BetterSqlite3(file, { readonly: true })
  try {
    return db.pragma('journal_mode', { simple: true })
  } finally {
    db.close()
  }
}

/** The refused file is byte for byte what it was, and no -wal with content was left beside it. */
function expectUntouched(file: string, sha256: string): void {
  expect(sha256File(file)).toBe(sha256)
  if (existsSync(`${file}-wal`)) expect(sha256File(`${file}-wal`)).toBe(sha256File('/dev/null'))
}

describe('data directory not writable', () => {
  it('refuses a path whose parent is a regular file (ENOTDIR)', () => {
    const parent = join(scratch.dir(), 'a-file')
    writeFileSync(parent, 'not a folder')
    const error = expectRefusal(
      () => openRepository({ dataDir: join(parent, 'data') }),
      'DATA_DIR_NOT_WRITABLE',
    )
    expect(error.message).toContain('ENOTDIR')
    expect(error.message).toContain('--data-dir')
  })

  it('refuses a data directory that is itself a regular file', () => {
    const file = join(scratch.dir(), 'data')
    writeFileSync(file, '')
    expectRefusal(() => openRepository({ dataDir: file }), 'DATA_DIR_NOT_WRITABLE')
  })

  it('refuses a read-only (0555) directory, a folder to be created inside one, and a read-only (0444) database', async (context) => {
    const base = scratch.dir()
    const readOnly = join(base, 'read-only')
    mkdirSync(readOnly)
    const { dataDir: readOnlyFileDir, file: readOnlyFile } = await chronicleDatabase()
    const dirs = [readOnly, join(readOnly, 'new'), readOnlyFileDir]
    const sha256 = sha256File(readOnlyFile)
    if (!runningAsRoot) {
      chmodSync(readOnly, 0o555)
      chmodSync(readOnlyFile, 0o444)
      scratch.defer(() => chmodSync(readOnly, 0o755))
      for (const dataDir of dirs) expectRefusal(() => openRepository({ dataDir }), 'DATA_DIR_NOT_WRITABLE')
      return
    }
    // Root ignores permission bits, so the check runs in a child process as nobody, which must be able to load the
    // project through tsx. A checkout inside a private folder (such as /root) makes that impossible: say so and skip.
    if (!othersCanTraverse(fileURLToPath(new URL('../../..', import.meta.url)))) {
      context.skip('running as root inside a folder that user nobody cannot enter')
    }
    const nobody = NOBODY
    for (const path of [base, readOnly, readOnlyFileDir, readOnlyFile]) chownSync(path, nobody, nobody)
    chmodSync(readOnly, 0o555)
    chmodSync(readOnlyFile, 0o444)
    const script = `
      const { openRepository } = await import(${JSON.stringify(new URL('./repository.ts', import.meta.url).href)})
      const results = []
      for (const dataDir of JSON.parse(process.env.DIRS)) {
        try { await openRepository({ dataDir }).close(); results.push({ opened: dataDir }) }
        catch (error) { results.push({ code: error.code, message: error.message }) }
      }
      console.log(JSON.stringify(results))`
    const child = runNodeScript(
      script,
      { DIRS: JSON.stringify(dirs), TMPDIR: base },
      { typescript: true, uid: nobody, gid: nobody },
    )
    expect(child.stderr).toBe('')
    const results = JSON.parse(child.stdout) as { code?: string; message?: string }[]
    expect(results).toHaveLength(3)
    for (const result of results) {
      expect(result.code).toBe('DATA_DIR_NOT_WRITABLE')
      expect(result.message).not.toContain('\n')
    }
    expect(existsSync(join(readOnly, DATABASE_FILE))).toBe(false)
    expect(sha256File(readOnlyFile)).toBe(sha256)
  })
})

describe('corrupt database', () => {
  it('refuses a file of random bytes and leaves it unchanged', () => {
    const dataDir = scratch.dir()
    const file = join(dataDir, DATABASE_FILE)
    writeFileSync(file, randomBytes(64 * 1024))
    const sha256 = sha256File(file)
    const error = expectRefusal(() => openRepository({ dataDir }), 'DATABASE_CORRUPT')
    expect(error.message).toContain(file)
    expectUntouched(file, sha256)
    expect(existsSync(`${file}-shm`)).toBe(false)
  })

  it('refuses a real database whose header was overwritten, and leaves it unchanged', async () => {
    const { dataDir, file } = await chronicleDatabase()
    overwrite(file, 0, Buffer.from('Not SQLite at all'))
    const sha256 = sha256File(file)
    expectRefusal(() => openRepository({ dataDir }), 'DATABASE_CORRUPT')
    expectUntouched(file, sha256)
  })

  it('refuses a real database whose pages after the header were overwritten, and leaves it unchanged', async () => {
    const { dataDir, file } = await chronicleDatabase()
    overwrite(file, 100, randomBytes(64 * 1024))
    const sha256 = sha256File(file)
    expectRefusal(() => openRepository({ dataDir }), 'DATABASE_CORRUPT')
    expectUntouched(file, sha256)
  })
})

describe('database from a newer Chronicle', () => {
  it('refuses schema version 999 and leaves the WAL database unchanged', async () => {
    const { dataDir, file } = await chronicleDatabase()
    const db = new BetterSqlite3(file)
    db.prepare(`INSERT INTO schema_migrations VALUES (999, 'from the future', ?, 1, 1)`).run('f'.repeat(64))
    db.close()
    const sha256 = sha256File(file)
    const error = expectRefusal(() => openRepository({ dataDir }), 'DATABASE_FROM_FUTURE')
    expect(error.message).toContain('999')
    expectUntouched(file, sha256)
    expect(journalMode(file)).toBe('wal')
  })

  it('refuses it before switching a rollback-journal database to WAL', () => {
    const dataDir = scratch.dir()
    const file = join(dataDir, DATABASE_FILE)
    const db = new BetterSqlite3(file)
    applyMigrations(db, planMigrations(db, sqliteMigrations, file).pending, () => 1)
    db.prepare(`INSERT INTO schema_migrations VALUES (999, 'from the future', ?, 1, 1)`).run('f'.repeat(64))
    db.close()
    expect(journalMode(file)).toBe('delete')
    const sha256 = sha256File(file)
    expectRefusal(() => openRepository({ dataDir }), 'DATABASE_FROM_FUTURE')
    expectUntouched(file, sha256)
    expect(journalMode(file)).toBe('delete')
    expect(existsSync(`${file}-wal`)).toBe(false)
  })
})

// Another process opens the file, takes SQLite's exclusive lock and holds an open write transaction.
const HOLD_EXCLUSIVE_LOCK = `
  const db = new (require('better-sqlite3'))(process.env.DB_FILE)
  db.pragma('locking_mode = EXCLUSIVE')
  db.exec('BEGIN EXCLUSIVE')
  db.prepare("INSERT INTO devices VALUES ('intruder', 'n', 'p', 'k', 'v', 1, 1)").run()
  console.log('READY')
  setInterval(() => {}, 60_000)`

describe('database locked by another process', () => {
  it('gives up after busyTimeoutMs with DATABASE_LOCKED, then opens intact once the other process is gone', async () => {
    const { dataDir, file } = await chronicleDatabase()
    const holder = await startNodeScript(HOLD_EXCLUSIVE_LOCK, { DB_FILE: file })
    scratch.defer(() => holder.kill())
    const started = Date.now()
    const error = expectRefusal(() => openRepository({ dataDir, busyTimeoutMs: 200 }), 'DATABASE_LOCKED')
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(error.message).toContain(file)
    await holder.kill()

    const repo = scratch.open({ dataDir })
    const conversations = await repo.db.selectFrom('conversations').select(['id', 'title']).execute()
    expect(conversations).toEqual([{ id: 'c1', title: 'Kept safe' }])
    expect(await repo.db.selectFrom('devices').selectAll().execute()).toEqual([])
    expect(await repo.db.selectFrom('changes').select('entity_id').execute()).toEqual([{ entity_id: 'c1' }])
  })

  it('still opens an up-to-date database while another process holds an ordinary write transaction (WAL)', async () => {
    const { dataDir, file } = await chronicleDatabase()
    const writer = await startNodeScript(
      HOLD_EXCLUSIVE_LOCK.replace("db.pragma('locking_mode = EXCLUSIVE')", ''),
      {
        DB_FILE: file,
      },
    )
    scratch.defer(() => writer.kill())
    const repo = scratch.open({ dataDir, busyTimeoutMs: 200 })
    expect((await repo.listConversations()).ok).toBe(true)
  })
})

describe("an SQLite database that is not Chronicle's", () => {
  it('refuses it (NOT_A_CHRONICLE_DATABASE) and adds nothing to it', () => {
    const dataDir = scratch.dir()
    const file = join(dataDir, DATABASE_FILE)
    const db = new BetterSqlite3(file)
    db.exec(`CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('someone else''s data')`)
    db.close()
    const sha256 = sha256File(file)
    expectRefusal(() => openRepository({ dataDir }), 'NOT_A_CHRONICLE_DATABASE')
    expectUntouched(file, sha256)
  })

  it('accepts an empty SQLite file as a new Chronicle database', () => {
    const dataDir = scratch.dir()
    writeFileSync(join(dataDir, DATABASE_FILE), '')
    const repo = scratch.open({ dataDir })
    const db = new BetterSqlite3(repo.file, { readonly: true })
    expect(db.prepare('SELECT version FROM schema_migrations').pluck().all()).toEqual(
      sqliteMigrations.map((m) => m.version),
    )
    db.close()
  })
})
