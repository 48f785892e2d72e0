/**
 * A small FTS5 index of a few hundred messages, in the temp schema (nothing in the file changes, as with
 * typed-completions.ts), made with the message index's own tokenizer: a query asked of it matches exactly the rows
 * the message index would match among them, and cuts the same snippets, since both depend only on a row's text.
 * prefix-scan.ts asks it what a long prefix would cost the message index to merge.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { Database } from '../database-schema'
import type { Candidate } from './search-queries'

/** The message index's tokenizer (migrations 0003, 0012 and 0016); a test checks the two are the same. */
export const MESSAGE_TOKENIZER = 'unicode61 remove_diacritics 2'

/** The scratch table's name; SQL reads it through ftsTable. */
const SCRATCH_FTS = 'prefix_scan_fts'

/** Which full-text index a question is asked of: the message index, or the scratch (for hitDetails and find). */
export type IndexChoice = 'messages' | 'scratch'

/** The index's name in a MATCH, a column or an auxiliary function, and as the table a query reads. */
export function ftsTable(index: IndexChoice): {
  readonly name: RawBuilder<unknown>
  readonly from: RawBuilder<unknown>
} {
  return index === 'scratch'
    ? { name: sql.raw(SCRATCH_FTS), from: sql.raw(`temp.${SCRATCH_FTS}`) }
    : { name: sql.raw('messages_fts'), from: sql.raw('messages_fts') }
}

async function makeScratch(db: Kysely<Database>): Promise<void> {
  await sql`CREATE TEMP TABLE IF NOT EXISTS prefix_scan_rows (pk INTEGER PRIMARY KEY, text TEXT NOT NULL)`.execute(
    db,
  )
  await sql`CREATE VIRTUAL TABLE IF NOT EXISTS temp.prefix_scan_fts USING fts5(
    text, content='prefix_scan_rows', content_rowid='pk', tokenize=${sql.lit(MESSAGE_TOKENIZER)})`.execute(db)
}

/**
 * The name of the set of messages the scratch holds whole, per connection (see scratchHoldingSet); a reset forgets
 * it. The temp schema belongs to the connection, and so does its Kysely instance.
 */
const heldSets = new WeakMap<Kysely<Database>, string>()

/** Empties the scratch index, making it on first use. */
export async function resetScratch(db: Kysely<Database>): Promise<void> {
  heldSets.delete(db)
  await makeScratch(db)
  await sql`DELETE FROM temp.prefix_scan_rows`.execute(db)
  await sql`INSERT INTO temp.prefix_scan_fts (prefix_scan_fts) VALUES ('delete-all')`.execute(db)
}

export interface AddedRows {
  readonly count: number
  /** The lowest and highest pk added; null when nothing was. */
  readonly low: number | null
  readonly high: number | null
}

/**
 * Indexes the messages `rows` selects (columns pk and text), all older than every message the scratch holds: the
 * range of the pks added is then theirs alone, so it is what the next question is asked in.
 */
export async function addToScratch(db: Kysely<Database>, rows: RawBuilder<unknown>): Promise<AddedRows> {
  const added = await sql<{
    pk: number
  }>`INSERT INTO temp.prefix_scan_rows (pk, text) ${rows} RETURNING pk`.execute(db)
  if (added.rows.length === 0) return { count: 0, low: null, high: null }
  const pks = added.rows.map((r) => r.pk)
  const [low, high] = [Math.min(...pks), Math.max(...pks)]
  await sql`INSERT INTO temp.prefix_scan_fts (rowid, text)
    SELECT pk, text FROM temp.prefix_scan_rows WHERE pk BETWEEN ${low} AND ${high}`.execute(db)
  return { count: pks.length, low, high }
}

/** The scratch's messages from `low` to `high` that `match` matches, newest first, scored so. */
export async function scratchMatches(
  db: Kysely<Database>,
  match: string,
  low: number,
  high: number,
): Promise<Candidate[]> {
  const { rows } = await sql<Candidate>`SELECT rowid AS pk, -rowid AS score FROM temp.prefix_scan_fts
    WHERE prefix_scan_fts MATCH ${match} AND rowid BETWEEN ${low} AND ${high} ORDER BY rowid DESC`.execute(db)
  return rows
}

/** Makes sure the scratch holds these messages (a page's, for its snippets), indexing them anew if it does not. */
export async function scratchHolding(db: Kysely<Database>, pks: readonly number[]): Promise<void> {
  if (pks.length === 0) return
  await makeScratch(db)
  const held = await sql<{
    n: number
  }>`SELECT count(*) AS n FROM temp.prefix_scan_rows WHERE pk IN (${sql.join(pks)})`.execute(db)
  if ((held.rows[0]?.n ?? 0) === pks.length) return
  await resetScratch(db)
  await addToScratch(db, sql`SELECT pk, text FROM messages WHERE pk IN (${sql.join(pks)})`)
}

/**
 * Makes sure the scratch holds the messages `rows` selects, known as `key`: a key that names the rows' state (the
 * change feed's position in it) lets a run of questions about the same messages index them once.
 */
export async function scratchHoldingSet(
  db: Kysely<Database>,
  key: string,
  rows: RawBuilder<unknown>,
): Promise<void> {
  if (heldSets.get(db) === key) return
  await resetScratch(db)
  await addToScratch(db, rows)
  heldSets.set(db, key)
}
