/**
 * One full-text setup under test: the same small schema (a content table, an external-content FTS5 table, an
 * insert trigger) with a different tokenizer, so the tokenizer is the only difference between the two databases.
 */
import BetterSqlite3 from 'better-sqlite3'
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { migration0003 } from '../../../src/main/repository/sqlite/migrations/0003-full-text-index'
import { toFtsMatch } from '../../../src/main/repository/sqlite/fts-match'
import { parseSearchQuery } from '../../../src/shared/search/search-query'
import { toSearchText } from '../../../src/shared/search/search-text'
import { afterEpochMs, chronicleQuery, type BenchQuery } from '../query-set'

export interface FtsVariant {
  readonly name: string
  readonly tokenize: string
  /** What goes into the index for a message's text. */
  prepareText(text: string): string
  /** The MATCH expression for a query's terms (filters are applied in SQL). */
  match(query: BenchQuery): string
}

/** The tokenizer exactly as the real schema declares it, so this bench follows any change to the migration. */
function schemaTokenizer(): string {
  const found = /tokenize='([^']+)'/.exec(migration0003.sql)
  if (!found?.[1]) throw new Error('no tokenize= clause in migration 0003')
  return found[1]
}

export function oursVariant(): FtsVariant {
  return {
    name: 'ours',
    tokenize: schemaTokenizer(),
    prepareText: toSearchText,
    match(query) {
      const parsed = parseSearchQuery(chronicleQuery(query))
      if (!parsed.ok) throw new Error(`bench query does not parse: ${parsed.error.message}`)
      return toFtsMatch(parsed.value)
    },
  }
}

export const TRIGRAM_TOKENIZE = 'trigram remove_diacritics 1'

/** Trigram matches substrings, so every term (word, phrase or prefix) is one quoted string. */
export function trigramVariant(): FtsVariant {
  return {
    name: 'trigram',
    tokenize: TRIGRAM_TOKENIZE,
    prepareText: (text) => text,
    match: (query) => query.terms.map((t) => `"${t.text.replaceAll('"', '""')}"`).join(' AND '),
  }
}

export interface DocRow {
  readonly pk: number
  readonly text: string
  readonly source: string
  readonly createdAt: number
}

export interface VariantDb {
  readonly variant: FtsVariant
  readonly file: string
  readonly db: BetterSqlite3.Database
  insert(rows: readonly DocRow[]): void
  /** First page of 50 by bm25, with snippets: what a search box shows. */
  page(query: BenchQuery): number
  /** Every match of the query, filters included. */
  count(query: BenchQuery): number
  matchingPks(match: string): Set<number>
  close(): void
}

export function openVariantDb(dir: string, variant: FtsVariant): VariantDb {
  const file = join(dir, `${variant.name}.sqlite`)
  const db = new BetterSqlite3(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.exec(`
    CREATE TABLE docs (pk INTEGER PRIMARY KEY, text TEXT NOT NULL, source TEXT NOT NULL, created_at INTEGER NOT NULL);
    CREATE VIRTUAL TABLE docs_fts USING fts5(text, content='docs', content_rowid='pk', tokenize='${variant.tokenize}');
    CREATE TRIGGER docs_fts_insert AFTER INSERT ON docs BEGIN
      INSERT INTO docs_fts (rowid, text) VALUES (NEW.pk, NEW.text);
    END;`)
  const insertRow = db.prepare('INSERT INTO docs (pk, text, source, created_at) VALUES (?, ?, ?, ?)')
  const insertAll = db.transaction((rows: readonly DocRow[]) => {
    for (const r of rows) insertRow.run(r.pk, variant.prepareText(r.text), r.source, r.createdAt)
  })
  const page = `SELECT d.pk, snippet(docs_fts, 0, '[', ']', '…', 16) AS snippet
    FROM docs_fts JOIN docs d ON d.pk = docs_fts.rowid WHERE docs_fts MATCH ?`
  const plain = db.prepare(`${page} ORDER BY bm25(docs_fts) LIMIT 50`)
  const filtered = db.prepare(
    `${page} AND d.source = ? AND d.created_at >= ? ORDER BY bm25(docs_fts) LIMIT 50`,
  )
  const count = db.prepare('SELECT count(*) FROM docs_fts WHERE docs_fts MATCH ?').pluck()
  const countFiltered = db
    .prepare(
      `SELECT count(*) FROM docs_fts JOIN docs d ON d.pk = docs_fts.rowid
       WHERE docs_fts MATCH ? AND d.source = ? AND d.created_at >= ?`,
    )
    .pluck()
  const pks = db.prepare('SELECT rowid FROM docs_fts WHERE docs_fts MATCH ?').pluck()
  return {
    variant,
    file,
    db,
    insert: (rows) => insertAll(rows),
    page(query) {
      const match = variant.match(query)
      const f = query.filters
      return (f ? filtered.all(match, f.source, afterEpochMs(f)) : plain.all(match)).length
    },
    count(query) {
      const match = variant.match(query)
      const f = query.filters
      return Number(f ? countFiltered.get(match, f.source, afterEpochMs(f)) : count.get(match))
    },
    matchingPks: (match) => new Set(pks.all(match) as number[]),
    close: () => db.close(),
  }
}

export interface VariantSize {
  readonly fileBytes: number
  readonly indexBytes: number
}

export function variantSize(v: VariantDb): VariantSize {
  v.db.pragma('wal_checkpoint(TRUNCATE)')
  const wal = `${v.file}-wal`
  const fileBytes = statSync(v.file).size + (existsSync(wal) ? statSync(wal).size : 0)
  const indexBytes = Number(
    v.db.prepare(`SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'docs_fts%'`).pluck().get() ?? 0,
  )
  return { fileBytes, indexBytes }
}
