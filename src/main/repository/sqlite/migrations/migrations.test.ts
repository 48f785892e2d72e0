/**
 * One test per migration: bring a fresh file to version N-1, write rows shaped for that version, apply N alone,
 * and check what N adds, including what it does to rows that were already there.
 */
import BetterSqlite3 from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { toSearchText } from '../../../../shared/search/search-text'
import { DATABASE_FILE } from '../../repository'
import { useScratch } from '../../test-support/scratch'
import { applyMigrations, planMigrations } from '../migrator'
import { sqliteMigrations } from './index'

const scratch = useScratch()

function openAtVersion(version: number): { db: BetterSqlite3.Database; file: string } {
  const file = join(scratch.dir(), DATABASE_FILE)
  const db = new BetterSqlite3(file)
  scratch.defer(() => db.close())
  applyMigrations(db, planMigrations(db, sqliteMigrations.slice(0, version), file).pending, () => 1)
  return { db, file }
}

function migrateTo(db: BetterSqlite3.Database, file: string, version: number): void {
  const plan = planMigrations(db, sqliteMigrations.slice(0, version), file)
  expect(plan.pending.map((m) => m.version)).toEqual([version])
  applyMigrations(db, plan.pending, () => 2)
}

const names = (db: BetterSqlite3.Database, type: string): string[] =>
  db.prepare('SELECT name FROM sqlite_master WHERE type = ? ORDER BY name').pluck().all(type) as string[]

const versions = (db: BetterSqlite3.Database): number[] =>
  db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all() as number[]

const insertConversation = (db: BetterSqlite3.Database, id: string, title: string): void =>
  void db
    .prepare(
      `INSERT INTO conversations (id, source, source_id, title, created_at, updated_at, last_activity_at)
       VALUES (?, 'roo', ?, ?, 1000, 1000, 1000)`,
    )
    .run(id, id, title)

const insertMessage = (db: BetterSqlite3.Database, id: string, conversationId: string, text: string): void =>
  void db
    .prepare(`INSERT INTO messages (id, conversation_id, ordinal, role, text) VALUES (?, ?, ?, 'user', ?)`)
    .run(id, conversationId, Number(id.replace(/\D/g, '')), text)

it('the migration list is numbered 1..N without gaps, in order', () => {
  expect(sqliteMigrations.map((m) => m.version)).toEqual(sqliteMigrations.map((_, i) => i + 1))
})

describe('0001 core tables', () => {
  it('creates conversations, messages and devices with their sort indexes on an empty file', () => {
    const { db, file } = openAtVersion(0)
    expect(names(db, 'table')).toEqual([])
    migrateTo(db, file, 1)
    expect(names(db, 'table')).toEqual(['conversations', 'devices', 'messages', 'schema_migrations'])
    expect(names(db, 'index')).toEqual(
      expect.arrayContaining([
        'conversations_last_activity',
        'conversations_created',
        'conversations_cost',
        'conversations_tokens',
        'conversations_title',
        'conversations_parent',
      ]),
    )
    expect(versions(db)).toEqual([1])
  })

  it('refuses rows that break its checks: starred not 0/1, tags not a JSON array, unknown role, duplicate ordinal', () => {
    const { db, file } = openAtVersion(0)
    migrateTo(db, file, 1)
    insertConversation(db, 'c1', 'ok')
    expect(() => db.prepare(`UPDATE conversations SET starred = 2`).run()).toThrow(/CHECK/)
    expect(() => db.prepare(`UPDATE conversations SET tags = '{}'`).run()).toThrow(/CHECK/)
    expect(() => db.prepare(`UPDATE conversations SET metadata = 'not json'`).run()).toThrow(/CHECK/)
    insertMessage(db, 'm1', 'c1', 'hello')
    expect(() => db.prepare(`UPDATE messages SET role = 'robot'`).run()).toThrow(/CHECK/)
    expect(() => insertMessage(db, 'x1', 'c1', 'same ordinal as m1')).toThrow(/UNIQUE/)
  })
})

describe('0002 change feed', () => {
  it('adds changes, write_origin (set to sql) and three triggers per tracked table', () => {
    const { db, file } = openAtVersion(1)
    insertConversation(db, 'c1', 'before the feed')
    migrateTo(db, file, 2)
    expect(names(db, 'table')).toEqual(expect.arrayContaining(['changes', 'write_origin']))
    expect(db.prepare('SELECT origin FROM write_origin').pluck().all()).toEqual(['sql'])
    const triggers = names(db, 'trigger')
    for (const table of ['conversations', 'messages', 'devices']) {
      for (const op of ['insert', 'update', 'delete']) expect(triggers).toContain(`${table}_change_${op}`)
    }
    expect(versions(db)).toEqual([1, 2])
  })

  it('starts an empty feed, then records changes to rows that existed before it', () => {
    const { db, file } = openAtVersion(1)
    insertConversation(db, 'c1', 'before the feed')
    migrateTo(db, file, 2)
    expect(db.prepare('SELECT count(*) FROM changes').pluck().get()).toBe(0)
    db.prepare(`UPDATE conversations SET title = 'renamed' WHERE id = 'c1'`).run()
    expect(db.prepare('SELECT entity, entity_id, op, origin, data FROM changes').all()).toEqual([
      { entity: 'conversation', entity_id: 'c1', op: 'update', origin: 'sql', data: '{"columns":["title"]}' },
    ])
  })
})

describe('0003 full-text index', () => {
  it('adds both FTS tables and their sync triggers', () => {
    const { db, file } = openAtVersion(2)
    migrateTo(db, file, 3)
    expect(names(db, 'table')).toEqual(expect.arrayContaining(['messages_fts', 'conversations_fts']))
    const triggers = names(db, 'trigger')
    for (const fts of ['messages_fts', 'conversations_fts']) {
      for (const op of ['insert', 'update', 'delete']) expect(triggers).toContain(`${fts}_${op}`)
    }
  })

  it('indexes messages and titles written under version 2 (the rebuild), so they are searchable after 3', () => {
    const { db, file } = openAtVersion(2)
    insertConversation(db, 'c1', 'Quarterly report')
    insertMessage(db, 'm1', 'c1', 'The revenue grew in the third quarter')
    insertMessage(db, 'm2', 'c1', toSearchText('我们需要把数据库迁移到新的服务器'))
    migrateTo(db, file, 3)
    const match = (table: string, query: string): string[] =>
      db.prepare(`SELECT rowid FROM ${table} WHERE ${table} MATCH ?`).pluck().all(query) as string[]
    const pk = (id: string): unknown => db.prepare('SELECT pk FROM messages WHERE id = ?').pluck().get(id)
    expect(match('messages_fts', 'revenue')).toEqual([pk('m1')])
    expect(match('messages_fts', '"数 据 库"')).toEqual([pk('m2')])
    expect(match('conversations_fts', 'quarterly')).toHaveLength(1)
    expect(() =>
      db.prepare(`INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')`).run(),
    ).not.toThrow()
  })

  it('keeps the index in step with later inserts, text updates and deletes', () => {
    const { db, file } = openAtVersion(2)
    insertConversation(db, 'c1', 'Notes')
    migrateTo(db, file, 3)
    const count = (query: string): unknown =>
      db.prepare('SELECT count(*) FROM messages_fts WHERE messages_fts MATCH ?').pluck().get(query)
    insertMessage(db, 'm1', 'c1', 'alpha')
    expect(count('alpha')).toBe(1)
    db.prepare(`UPDATE messages SET text = 'beta' WHERE id = 'm1'`).run()
    expect([count('alpha'), count('beta')]).toEqual([0, 1])
    db.prepare(`DELETE FROM messages WHERE id = 'm1'`).run()
    expect(count('beta')).toBe(0)
    expect(() =>
      db.prepare(`INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')`).run(),
    ).not.toThrow()
  })
})

describe('0004 search filter index', () => {
  it('indexes pk, conversation, time and role of every message, those written under version 3 too', () => {
    const { db, file } = openAtVersion(3)
    insertConversation(db, 'c1', 'Notes')
    insertMessage(db, 'm1', 'c1', 'alpha')
    insertMessage(db, 'm2', 'c1', 'beta')
    migrateTo(db, file, 4)
    expect(db.prepare(`SELECT name FROM pragma_index_info('messages_search_filter')`).pluck().all()).toEqual([
      'pk',
      'conversation_id',
      'created_at',
      'role',
    ])
    const viaIndex = db
      .prepare(`SELECT id FROM messages INDEXED BY messages_search_filter WHERE pk > 0 ORDER BY pk`)
      .pluck()
      .all()
    expect(viaIndex).toEqual(['m1', 'm2'])
    expect(db.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok')
    expect(versions(db)).toEqual([1, 2, 3, 4])
  })
})

describe('0005 import units and 0006 import checkpoint', () => {
  it('adds import_units, then a nullable resume column that leaves existing rows as they were', () => {
    const { db, file } = openAtVersion(4)
    migrateTo(db, file, 5)
    db.prepare(
      `INSERT INTO import_units (unit, source, fingerprint, files, status, imported_at)
       VALUES ('/a.jsonl', 'claude-code', 'f1', '[]', 'imported', 1)`,
    ).run()
    expect(() =>
      db
        .prepare(
          `INSERT INTO import_units (unit, source, fingerprint, files, status, imported_at)
           VALUES ('/b.jsonl', 'claude-code', 'f2', 'not json', 'imported', 1)`,
        )
        .run(),
    ).toThrow(/CHECK/)
    migrateTo(db, file, 6)
    expect(db.prepare(`SELECT unit, fingerprint, resume FROM import_units`).all()).toEqual([
      { unit: '/a.jsonl', fingerprint: 'f1', resume: null },
    ])
    expect(versions(db)).toEqual([1, 2, 3, 4, 5, 6])
  })
})

describe('0012 prefix indexes', () => {
  const match = (db: BetterSqlite3.Database, table: string, query: string): number[] =>
    db
      .prepare(`SELECT rowid FROM ${table} WHERE ${table} MATCH ? ORDER BY rowid`)
      .pluck()
      .all(query) as number[]
  const pk = (db: BetterSqlite3.Database, id: string): number =>
    db.prepare('SELECT pk FROM messages WHERE id = ?').pluck().get(id) as number

  it('makes both FTS tables again with prefixes of 1 and 2 characters, over what version 11 had indexed', () => {
    const { db, file } = openAtVersion(11)
    insertConversation(db, 'c1', 'Quarterly report')
    insertMessage(db, 'm1', 'c1', 'The revenue grew in the third quarter')
    insertMessage(db, 'm2', 'c1', 'Revisions are due')
    migrateTo(db, file, 12)
    for (const table of ['messages_fts', 'conversations_fts']) {
      const ddl = db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').pluck().get(table) as string
      expect(ddl).toContain("prefix='1 2'")
      expect(ddl).toContain("tokenize='unicode61 remove_diacritics 2'")
    }
    expect(match(db, 'messages_fts', 'r*')).toEqual([pk(db, 'm1'), pk(db, 'm2')])
    expect(match(db, 'messages_fts', 're*')).toEqual([pk(db, 'm1'), pk(db, 'm2')])
    expect(match(db, 'messages_fts', 'rev*')).toEqual([pk(db, 'm1'), pk(db, 'm2')])
    expect(match(db, 'messages_fts', 'revenue')).toEqual([pk(db, 'm1')])
    expect(match(db, 'conversations_fts', 'q*')).toHaveLength(1)
    for (const table of ['messages_fts', 'conversations_fts']) {
      expect(() =>
        db.prepare(`INSERT INTO ${table} (${table}) VALUES ('integrity-check')`).run(),
      ).not.toThrow()
    }
  })

  it('keeps the prefix postings in step with later inserts, text updates and deletes', () => {
    const { db, file } = openAtVersion(11)
    insertConversation(db, 'c1', 'Notes')
    migrateTo(db, file, 12)
    insertMessage(db, 'm1', 'c1', 'kubernetes rollout')
    expect(match(db, 'messages_fts', 'k*')).toEqual([pk(db, 'm1')])
    db.prepare(`UPDATE messages SET text = 'docker compose' WHERE id = 'm1'`).run()
    expect(match(db, 'messages_fts', 'k*')).toEqual([])
    expect(match(db, 'messages_fts', 'do*')).toEqual([pk(db, 'm1')])
    db.prepare(`DELETE FROM messages WHERE id = 'm1'`).run()
    expect(match(db, 'messages_fts', 'd*')).toEqual([])
    db.prepare(`UPDATE conversations SET title = 'Zebra crossing' WHERE id = 'c1'`).run()
    expect(match(db, 'conversations_fts', 'z*')).toHaveLength(1)
    expect(match(db, 'conversations_fts', 'n*')).toEqual([])
    expect(() =>
      db.prepare(`INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')`).run(),
    ).not.toThrow()
  })
})

describe('0016 message prefix index of two characters', () => {
  const match = (db: BetterSqlite3.Database, query: string): number[] =>
    db
      .prepare(`SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rowid`)
      .pluck()
      .all(query) as number[]
  const setting = (db: BetterSqlite3.Database, name: string): unknown =>
    db.prepare(`SELECT v FROM messages_fts_config WHERE k = ?`).pluck().get(name)

  it('makes the message index again with prefix postings of 2 only, over what version 15 had indexed', () => {
    const { db, file } = openAtVersion(15)
    insertConversation(db, 'c1', 'Quarterly report')
    insertMessage(db, 'm1', 'c1', 'The revenue grew in the third quarter')
    insertMessage(db, 'm2', 'c1', 'Revisions are due')
    migrateTo(db, file, 16)
    const ddl = db
      .prepare(`SELECT sql FROM sqlite_master WHERE name = 'messages_fts'`)
      .pluck()
      .get() as string
    expect(ddl).toContain("prefix='2'")
    expect(ddl).toContain("tokenize='unicode61 remove_diacritics 2'")
    const titles = db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'conversations_fts'`).pluck().get()
    expect(titles).toContain("prefix='1 2'")
    expect(setting(db, 'hashsize')).toBe(16777216)
    expect(setting(db, 'automerge')).toBe(16)
    // A one-letter prefix is still answered (by merging), and the rest as before.
    expect(match(db, 'r*')).toHaveLength(2)
    expect(match(db, 're*')).toHaveLength(2)
    expect(match(db, 'revenue')).toHaveLength(1)
    expect(() =>
      db.prepare(`INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')`).run(),
    ).not.toThrow()
  })

  it("keeps 0013's triggers: rows written outside a write transaction are indexed at once, changed and deleted", () => {
    const { db, file } = openAtVersion(15)
    insertConversation(db, 'c1', 'Notes')
    migrateTo(db, file, 16)
    insertMessage(db, 'm1', 'c1', 'kubernetes rollout')
    expect(match(db, 'ku*')).toHaveLength(1)
    db.prepare(`UPDATE messages SET text = 'docker compose' WHERE id = 'm1'`).run()
    expect(match(db, 'ku*')).toEqual([])
    expect(match(db, 'do*')).toHaveLength(1)
    db.prepare(`DELETE FROM messages WHERE id = 'm1'`).run()
    expect(match(db, 'do*')).toEqual([])
    expect(() =>
      db.prepare(`INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')`).run(),
    ).not.toThrow()
  })
})
