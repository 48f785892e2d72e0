/**
 * Find in one conversation: which of its messages a search matches (decided by the full-text index, so the
 * language, the accent folding and the filters are exactly the search's), in the conversation's order, and how
 * many occurrences each holds (counted by findInText, the function the reader paints its highlights with).
 *
 * The index is asked only about the conversation's own rowid range: a conversation imported at once is a short
 * range, so a word common across a million messages costs its few matches here, not all of them. A one-letter
 * prefix is the exception: the message index has no postings for it and would merge those of every word of that
 * letter in the library (migration 0016), so the conversation's messages are indexed in the scratch index
 * (scratch-index.ts, the same tokenizer) and asked there; the keystrokes that follow reuse it until the repository
 * changes.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { ConversationFind } from '../../shared/api/contract'
import { fail, ok, type Result } from '../../shared/result'
import { findInText } from '../../shared/search/find-in-text'
import {
  parseSearchQuery,
  type ParsedSearch,
  type SearchQueryErrorCode,
} from '../../shared/search/search-query'
import { fromSearchText } from '../../shared/search/search-text'
import type { Database } from './database-schema'
import { toFtsMatch } from './sqlite/fts-match'
import { isOneLetterPrefix } from './sqlite/prefix-scan'
import { ftsTable, scratchHoldingSet, type IndexChoice } from './sqlite/scratch-index'

export type FindErrorCode = SearchQueryErrorCode | 'NOT_FOUND' | 'SEARCH_FAILED'

/** Enough for any conversation read by a person; bounds the text read for one answer. */
export const FIND_LIMIT = 5_000

interface Scope {
  readonly first: number | null
  readonly last: number | null
  readonly passes: number
}

/**
 * The conversation's rowid range, and whether it passes the search's conversation filters (source:, workspace:,
 * model:, is:): a conversation that does not has no matches, as it has none in the search view.
 */
async function conversationScope(
  db: Kysely<Database>,
  id: string,
  search: ParsedSearch,
): Promise<Scope | undefined> {
  const f = search.filters
  const checks: RawBuilder<unknown>[] = [sql`1`]
  if (f.source) checks.push(sql`c.source = ${f.source}`)
  if (f.workspace) checks.push(sql`instr(lower(c.workspace), lower(${f.workspace})) > 0`)
  if (f.model) checks.push(sql`instr(lower(c.model), lower(${f.model})) > 0`)
  if (f.starred) checks.push(sql`c.starred = 1`)
  if (f.archived) checks.push(sql`c.archived = 1`)
  const { rows } = await sql<Scope>`
    SELECT (${sql.join(checks, sql` AND `)}) AS passes,
      (SELECT min(pk) FROM messages WHERE conversation_id = c.id) AS first,
      (SELECT max(pk) FROM messages WHERE conversation_id = c.id) AS last
    FROM conversations AS c WHERE c.id = ${id}`.execute(db)
  return rows[0]
}

interface MatchedRow {
  readonly id: string
  readonly ordinal: number
  readonly text: string
}

interface Range {
  readonly first: number
  readonly last: number
}

/** The index to ask: the message index, or the scratch holding this conversation's messages as they are now. */
async function indexFor(
  db: Kysely<Database>,
  id: string,
  search: ParsedSearch,
  range: Range,
): Promise<IndexChoice> {
  if (![...search.include, ...search.exclude].some(isOneLetterPrefix)) return 'messages'
  const { rows } = await sql<{ seq: number | null }>`SELECT max(seq) AS seq FROM changes`.execute(db)
  await scratchHoldingSet(
    db,
    `find ${id} ${range.first}-${range.last} at ${rows[0]?.seq ?? 0}`,
    sql`SELECT pk, text FROM messages WHERE conversation_id = ${id} AND pk BETWEEN ${range.first} AND ${range.last}`,
  )
  return 'scratch'
}

/** The matching messages in order, up to `limit`; message filters (role:, before:, after:) apply here. */
async function matchedMessages(
  db: Kysely<Database>,
  id: string,
  search: ParsedSearch,
  range: Range,
  limit: number,
): Promise<MatchedRow[]> {
  const f = search.filters
  const { name: fts, from } = ftsTable(await indexFor(db, id, search, range))
  const where: RawBuilder<unknown>[] = [
    sql`${fts} MATCH ${toFtsMatch(search)}`,
    sql`${fts}.rowid BETWEEN ${range.first} AND ${range.last}`,
    sql`f.conversation_id = ${id}`,
  ]
  if (f.role) where.push(sql`f.role = ${f.role}`)
  const at = sql`coalesce(f.created_at, (SELECT created_at FROM conversations WHERE id = ${id}))`
  if (f.after !== undefined) where.push(sql`${at} >= ${f.after}`)
  if (f.before !== undefined) where.push(sql`${at} < ${f.before}`)
  // Candidates are checked on the narrow filter index; only the matches' wide rows (their text) are read.
  const { rows } = await sql<MatchedRow>`
    SELECT m.id, m.ordinal, m.text FROM messages AS m
    WHERE m.pk IN (
      SELECT ${fts}.rowid FROM ${from}
      JOIN messages AS f INDEXED BY messages_search_filter ON f.pk = ${fts}.rowid
      WHERE ${sql.join(where, sql` AND `)})
    ORDER BY m.ordinal
    LIMIT ${limit + 1}`.execute(db)
  return rows
}

export async function findInConversation(
  db: Kysely<Database>,
  args: {
    readonly conversationId: string
    readonly query: string
    readonly limit?: number
    readonly asYouType?: boolean
  },
): Promise<Result<ConversationFind, FindErrorCode>> {
  const parsed = parseSearchQuery(args.query, { asYouType: args.asYouType ?? false })
  if (!parsed.ok) return parsed
  const search = parsed.value
  const limit = Math.min(Math.max(1, args.limit ?? FIND_LIMIT), FIND_LIMIT)
  try {
    const scope = await conversationScope(db, args.conversationId, search)
    if (!scope) return fail('NOT_FOUND', 'This conversation is not in the repository.')
    if (!scope.passes || scope.first === null || scope.last === null)
      return ok({ matches: [], total: 0, truncated: false })
    const rows = await matchedMessages(
      db,
      args.conversationId,
      search,
      { first: scope.first, last: scope.last },
      limit,
    )
    const matches = rows.slice(0, limit).map((row) => ({
      messageId: row.id,
      ordinal: row.ordinal,
      // The index matched the message, so it holds at least one occurrence even where the counting reads a
      // word differently (a rare folding the tokenizer and JavaScript disagree on).
      count: Math.max(1, findInText(fromSearchText(row.text), search).length),
    }))
    return ok({
      matches,
      total: matches.reduce((sum, m) => sum + m.count, 0),
      truncated: rows.length > limit,
    })
  } catch (error) {
    // The query is fully escaped, so this is not the user's syntax: report it as a value, never as an exception.
    return fail('SEARCH_FAILED', `Find failed: ${error instanceof Error ? error.message : String(error)}`)
  }
}
