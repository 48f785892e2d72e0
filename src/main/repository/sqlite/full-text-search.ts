/**
 * Full-text search on SQLite FTS5 (the dialect-specific half of search; the query language is in src/shared).
 *
 * Every word reaches FTS5 as a quoted string, so no input can be read as an FTS operator. Ranking needs every match
 * scored, so the first query only ranks and pages row ids; snippets are cut in a second query for the one page.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely'
import { SNIPPET_MARK_END, SNIPPET_MARK_START, type SearchHit } from '../../../shared/domain'
import { fail, ok, type Result } from '../../../shared/result'
import {
  parseSearchQuery,
  type ParsedSearch,
  type SearchQueryErrorCode,
  type SearchTerm,
} from '../../../shared/search/search-query'
import { fromSearchText } from '../../../shared/search/search-text'
import { clampLimit } from '../conversation-queries'
import { decodeCursor, encodeCursor } from '../cursor'
import type { Database } from '../database-schema'

export interface SearchOptions {
  readonly limit?: number
  readonly cursor?: string | null
}

export interface SearchPage {
  readonly hits: readonly SearchHit[]
  readonly nextCursor: string | null
}

export type SearchErrorCode = SearchQueryErrorCode | 'INVALID_CURSOR' | 'SEARCH_FAILED'

const SNIPPET_TOKENS = 16

const quote = (text: string): string => `"${text.replaceAll('"', '""')}"`

function termToFts(term: SearchTerm): string {
  const phrase = quote(term.tokens.join(' '))
  return term.kind === 'prefix' ? `${phrase}*` : phrase
}

/** Compiles a parsed query to an FTS5 MATCH expression made only of quoted strings, AND and NOT. */
export function toFtsMatch(query: ParsedSearch): string {
  const include = query.include.map(termToFts).join(' AND ')
  return query.exclude.reduce((expr, term) => `${expr} NOT ${termToFts(term)}`, include)
}

interface RankedRow {
  kind: 'message' | 'title'
  pk: number
  score: number
}

function conversationFilters(query: ParsedSearch, dateColumn: RawBuilder<unknown>): RawBuilder<unknown>[] {
  const f = query.filters
  const where: RawBuilder<unknown>[] = [sql`c.deleted_at IS NULL`]
  if (f.source) where.push(sql`c.source = ${f.source}`)
  if (f.workspace) where.push(sql`instr(lower(c.workspace), lower(${f.workspace})) > 0`)
  if (f.model) where.push(sql`instr(lower(c.model), lower(${f.model})) > 0`)
  if (f.starred) where.push(sql`c.starred = 1`)
  if (f.archived) where.push(sql`c.archived = 1`)
  if (f.after !== undefined) where.push(sql`${dateColumn} >= ${f.after}`)
  if (f.before !== undefined) where.push(sql`${dateColumn} < ${f.before}`)
  return where
}

function rankedQuery(
  query: ParsedSearch,
  match: string,
  after: readonly [number, string, number] | null,
  limit: number,
) {
  const messageWhere = [
    sql`messages_fts MATCH ${match}`,
    ...conversationFilters(query, sql`coalesce(m.created_at, c.created_at)`),
  ]
  if (query.filters.role) messageWhere.push(sql`m.role = ${query.filters.role}`)
  const messageHits = sql`
    SELECT 'message' AS kind, messages_fts.rowid AS pk, bm25(messages_fts) AS score
    FROM messages_fts
    JOIN messages m ON m.pk = messages_fts.rowid
    JOIN conversations c ON c.id = m.conversation_id
    WHERE ${sql.join(messageWhere, sql` AND `)}`
  // A role filter is about messages, so titles cannot match it.
  const titleHits = query.filters.role
    ? null
    : sql`
    SELECT 'title' AS kind, conversations_fts.rowid AS pk, bm25(conversations_fts) AS score
    FROM conversations_fts
    JOIN conversations c ON c.pk = conversations_fts.rowid
    WHERE ${sql.join([sql`conversations_fts MATCH ${match}`, ...conversationFilters(query, sql`c.last_activity_at`)], sql` AND `)}`
  const union = titleHits ? sql`${messageHits} UNION ALL ${titleHits}` : messageHits
  const page = after ? sql`WHERE (score, kind, pk) > (${after[0]}, ${after[1]}, ${after[2]})` : sql``
  return sql<RankedRow>`SELECT kind, pk, score FROM (${union}) ${page} ORDER BY score, kind, pk LIMIT ${limit + 1}`
}

interface HitDetails {
  pk: number
  snippet: string
  message_id: string | null
  ordinal: number | null
  role: SearchHit['role']
  created_at: number | null
  conversation_id: string
  title: string
  source: SearchHit['source']
  workspace: string | null
}

async function hitDetails(db: Kysely<Database>, match: string, kind: RankedRow['kind'], pks: number[]) {
  if (pks.length === 0) return new Map<number, HitDetails>()
  const mark = sql`${SNIPPET_MARK_START}, ${SNIPPET_MARK_END}`
  const query =
    kind === 'message'
      ? sql<HitDetails>`
        SELECT messages_fts.rowid AS pk, snippet(messages_fts, 0, ${mark}, '…', ${SNIPPET_TOKENS}) AS snippet,
          m.id AS message_id, m.ordinal, m.role, coalesce(m.created_at, c.created_at) AS created_at,
          c.id AS conversation_id, c.title, c.source, c.workspace
        FROM messages_fts JOIN messages m ON m.pk = messages_fts.rowid JOIN conversations c ON c.id = m.conversation_id
        WHERE messages_fts MATCH ${match} AND messages_fts.rowid IN (${sql.join(pks)})`
      : sql<HitDetails>`
        SELECT conversations_fts.rowid AS pk, highlight(conversations_fts, 0, ${mark}) AS snippet,
          NULL AS message_id, NULL AS ordinal, NULL AS role, c.last_activity_at AS created_at,
          c.id AS conversation_id, c.title, c.source, c.workspace
        FROM conversations_fts JOIN conversations c ON c.pk = conversations_fts.rowid
        WHERE conversations_fts MATCH ${match} AND conversations_fts.rowid IN (${sql.join(pks)})`
  const { rows } = await query.execute(db)
  return new Map(rows.map((r) => [r.pk, r]))
}

export async function searchRepository(
  db: Kysely<Database>,
  input: string,
  options: SearchOptions = {},
): Promise<Result<SearchPage, SearchErrorCode>> {
  const parsed = parseSearchQuery(input)
  if (!parsed.ok) return parsed
  const limit = clampLimit(options.limit, 50, 200)
  const cursor = options.cursor ? decodeCursor(options.cursor, 3) : null
  const validCursor =
    cursor &&
    typeof cursor[0] === 'number' &&
    (cursor[1] === 'message' || cursor[1] === 'title') &&
    typeof cursor[2] === 'number'
  if (options.cursor && !validCursor) {
    return fail('INVALID_CURSOR', 'This page cursor is not valid; run the search again from the first page.')
  }
  const match = toFtsMatch(parsed.value)
  try {
    const after = validCursor ? ([cursor[0], cursor[1], cursor[2]] as [number, string, number]) : null
    const { rows } = await rankedQuery(parsed.value, match, after, limit).execute(db)
    const page = rows.slice(0, limit)
    const details = {
      message: await hitDetails(
        db,
        match,
        'message',
        page.filter((r) => r.kind === 'message').map((r) => r.pk),
      ),
      title: await hitDetails(
        db,
        match,
        'title',
        page.filter((r) => r.kind === 'title').map((r) => r.pk),
      ),
    }
    const hits = page.flatMap((row): SearchHit[] => {
      const d = details[row.kind].get(row.pk)
      if (!d) return []
      return [
        {
          kind: row.kind,
          conversationId: d.conversation_id,
          messageId: d.message_id,
          ordinal: d.ordinal,
          conversationTitle: fromSearchText(d.title),
          source: d.source,
          workspace: d.workspace,
          role: d.role,
          createdAt: d.created_at,
          snippet: fromSearchText(d.snippet),
          score: row.score,
        },
      ]
    })
    const last = page.at(-1)
    return ok({
      hits,
      nextCursor: rows.length > limit && last ? encodeCursor([last.score, last.kind, last.pk]) : null,
    })
  } catch (error) {
    // The query is fully escaped, so this is not the user's syntax: report it as a value, never as an exception.
    return fail('SEARCH_FAILED', `Search failed: ${error instanceof Error ? error.message : String(error)}`)
  }
}
