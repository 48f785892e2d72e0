/**
 * Full-text search on SQLite FTS5 (the dialect-specific half of search; the query language is in src/shared).
 *
 * Ranking every match by bm25 costs time in proportion to how common the words are: a word in 200,000 of a
 * million messages took half a second. So messages are ranked in windows: bm25 orders the newest WINDOW matches,
 * then the next WINDOW older ones (WINDOW is 1,000), and so on. Rare words (fewer matches than a window) are ranked over all their
 * matches; common ones answer in constant time, with the best of your recent history first. Windows are bounded
 * by rowid, which only grows, so new imports never shift the pages of a search you are paging through.
 *
 * Titles are ranked separately (bm25 scores of short titles and long messages are not comparable) and come as
 * a small group on the first page.
 */
import type { Kysely } from 'kysely'
import type { SearchHit } from '../../../shared/domain'
import { fail, ok, type Result } from '../../../shared/result'
import { parseSearchQuery, type SearchQueryErrorCode } from '../../../shared/search/search-query'
import { fromSearchText } from '../../../shared/search/search-text'
import { clampLimit } from '../conversation-queries'
import { decodeCursor, encodeCursor } from '../cursor'
import type { Database } from '../database-schema'
import { toFtsMatch } from './fts-match'
import { answersByScan, scanNewest } from './prefix-scan'
import { scratchHolding, type IndexChoice } from './scratch-index'
import {
  hitDetails,
  messageCandidates,
  newestFirst,
  titleCandidates,
  type Candidate,
  type HitDetails,
} from './search-queries'
import { typedCompletions } from './typed-completions'

export interface SearchOptions {
  readonly limit?: number
  readonly cursor?: string | null
  /** The query is being typed, so its last word is a prefix (see search-query.ts). */
  readonly asYouType?: boolean
  /** Messages ranked together; for tests of window boundaries. */
  readonly candidateWindow?: number
}

export interface SearchPage {
  /** Conversations whose title matches; on the first page only. */
  readonly titleHits: readonly SearchHit[]
  readonly hits: readonly SearchHit[]
  readonly nextCursor: string | null
}

export type SearchErrorCode = SearchQueryErrorCode | 'INVALID_CURSOR' | 'SEARCH_FAILED'

export const CANDIDATE_WINDOW = 1_000
const TITLE_HITS = 5
/**
 * Bounds the work of one request when a page is larger than many windows (only with tiny windows, as in tests);
 * the page then ends early with a cursor to go on.
 */
const MAX_WINDOWS_PER_PAGE = 8

interface Position {
  readonly bound: number | null
  readonly after: Candidate | null
}

function readCursor(cursor: string | null | undefined): Position | null | 'invalid' {
  if (!cursor) return null
  const values = decodeCursor(cursor, 3)
  if (!values) return 'invalid'
  const [bound, score, pk] = values
  const isNum = (v: unknown): v is number => typeof v === 'number'
  if (
    !(bound === null || isNum(bound)) ||
    !((score === null && pk === null) || (isNum(score) && isNum(pk)))
  ) {
    return 'invalid'
  }
  return { bound, after: isNum(score) && isNum(pk) ? { score, pk } : null }
}

const byRank = (a: Candidate, b: Candidate): number => a.score - b.score || a.pk - b.pk
const isAfter = (c: Candidate, after: Candidate): boolean =>
  c.score > after.score || (c.score === after.score && c.pk > after.pk)

/**
 * The ranked window from just past the last hit shown. bm25 scores shift whenever the index grows (word counts
 * change), so that hit is found by rowid; its old score only places the cut if the hit has left the window.
 */
function resumeAfter(ranked: Candidate[], after: Candidate | null): Candidate[] {
  if (!after) return ranked
  const shown = ranked.findIndex((c) => c.pk === after.pk)
  return shown >= 0 ? ranked.slice(shown + 1) : ranked.filter((c) => isAfter(c, after))
}

/** Fills one page from consecutive windows; returns the page and where the next one starts. */
async function rankedPage(
  fetchNewest: (bound: number | null, count: number) => Promise<Candidate[]>,
  start: Position,
  limit: number,
  window: number,
): Promise<{ page: Candidate[]; next: Position | null }> {
  const page: Candidate[] = []
  let { bound, after } = start
  for (let windows = 0; windows < MAX_WINDOWS_PER_PAGE; windows++) {
    // One match past the window says whether an older window exists, so no cursor leads to an empty page.
    const fetched = await fetchNewest(bound, window + 1)
    const rows = fetched.slice(0, window)
    const ranked = resumeAfter(rows.sort(byRank), after)
    const room = limit - page.length
    page.push(...ranked.slice(0, room))
    if (ranked.length > room) {
      // A cursor inside the newest window bounds it as well, so that later imports cannot slide into it.
      const top = bound ?? Math.max(...rows.map((r) => r.pk)) + 1
      return { page, next: { bound: top, after: page.at(-1) ?? null } }
    }
    if (fetched.length <= window) return { page, next: null }
    bound = Math.min(...rows.map((r) => r.pk))
    after = null
    if (page.length === limit) break
  }
  return { page, next: { bound, after: null } }
}

function toHit(kind: SearchHit['kind'], candidate: Candidate, d: HitDetails): SearchHit {
  return {
    kind,
    conversationId: d.conversation_id,
    messageId: d.message_id,
    ordinal: d.ordinal,
    conversationTitle: fromSearchText(d.title),
    source: d.source,
    workspace: d.workspace,
    role: d.role,
    createdAt: d.created_at,
    snippet: fromSearchText(d.snippet),
    score: candidate.score,
  }
}

async function withDetails(
  db: Kysely<Database>,
  match: string,
  kind: SearchHit['kind'],
  candidates: Candidate[],
  index: IndexChoice = 'messages',
) {
  const pks = candidates.map((c) => c.pk)
  if (index === 'scratch') await scratchHolding(db, pks)
  const details = await hitDetails(db, match, kind, pks, index)
  return candidates.flatMap((c) => {
    const d = details.get(c.pk)
    return d ? [toHit(kind, c, d)] : []
  })
}

export async function searchRepository(
  db: Kysely<Database>,
  input: string,
  options: SearchOptions = {},
): Promise<Result<SearchPage, SearchErrorCode>> {
  const parsed = parseSearchQuery(input, { asYouType: options.asYouType === true })
  if (!parsed.ok) return parsed
  const limit = clampLimit(options.limit, 50, 200)
  // Newest first, a window ranks like a page: more rows than the page would be read for nothing.
  const window = Math.max(
    1,
    options.candidateWindow ?? (newestFirst(parsed.value) ? limit : CANDIDATE_WINDOW),
  )
  const position = readCursor(options.cursor)
  if (position === 'invalid') {
    return fail('INVALID_CURSOR', 'This page cursor is not valid; run the search again from the first page.')
  }
  try {
    // Titles are few enough to take a typed prefix as it is; messages take its completions, or scan it.
    const titleMatch = toFtsMatch(parsed.value)
    const completions = await typedCompletions(db, parsed.value)
    const match = toFtsMatch(parsed.value, completions)
    const scan = answersByScan(parsed.value, completions)
    const { page, next } = await rankedPage(
      (bound, count) =>
        scan
          ? scanNewest(db, parsed.value, completions, match, bound, count)
          : messageCandidates(db, parsed.value, match, bound, count),
      position ?? { bound: null, after: null },
      limit,
      window,
    )
    const titles = position ? [] : await titleCandidates(db, parsed.value, titleMatch, TITLE_HITS)
    return ok({
      titleHits: await withDetails(db, titleMatch, 'title', titles),
      hits: await withDetails(db, match, 'message', page, scan ? 'scratch' : 'messages'),
      nextCursor: next ? encodeCursor([next.bound, next.after?.score ?? null, next.after?.pk ?? null]) : null,
    })
  } catch (error) {
    // The query is fully escaped, so this is not the user's syntax: report it as a value, never as an exception.
    return fail('SEARCH_FAILED', `Search failed: ${error instanceof Error ? error.message : String(error)}`)
  }
}
