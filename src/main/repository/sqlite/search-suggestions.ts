/**
 * "Did you mean": when a search finds fewer than SUGGEST_BELOW messages, up to three corrections of its words,
 * taken from the full-text index's own vocabulary (so a suggestion is a word that is really in the history), within
 * an edit distance of 2, the most frequent first, accents and case ignored as the index ignores them.
 *
 * The vocabulary is read through an fts5vocab table over messages_fts, made in the connection's temp schema: it
 * changes nothing in the database file (no migration, no trigger, nothing for writes to keep up to date), and it is
 * only read on this path, which a search with enough results never takes. fts5vocab counts documents by walking
 * each term's postings, so only the terms that start as the misspelled word could are read (vocabulary-ranges.ts).
 * In the app it runs on a worker thread (suggestion-thread.ts): a common word's slices take hundreds of
 * milliseconds at a million messages, which the main thread's connection must not wait for.
 */
import { sql, type Kysely } from 'kysely'
import type { SearchSuggestion } from '../../../shared/api/contract'
import { ok, type Result } from '../../../shared/result'
import { parseSearchQuery } from '../../../shared/search/search-query'
import { SUGGEST_BELOW } from '../../../shared/search/suggestions'
import type { Database } from '../database-schema'
import {
  searchRepository,
  type SearchErrorCode,
  type SearchOptions,
  type SearchPage,
} from './full-text-search'
import { editDistance, foldWord, rewriteQuery } from './suggestion-words'
import { nearRanges, pastPrefix, slipRanges } from './vocabulary-ranges'

export const MAX_SUGGESTIONS = 3
/** Corrected queries tried (each runs a one-hit search) before giving up on finding three that match. */
const MAX_TRIED = 9
/** Shorter words have too many neighbours to guess from; 3- and 4-letter words get one edit, longer ones two. */
const MIN_WORD = 3

export interface SearchAnswer extends SearchPage {
  readonly suggestions: readonly SearchSuggestion[]
}

export type Suggest = (input: string, options: SearchOptions) => Promise<SearchSuggestion[]>

/**
 * The search, with suggestions when its first page holds fewer than SUGGEST_BELOW messages. Not as you type: the
 * vocabulary of a common word's first letters takes hundreds of milliseconds to read at a million messages, and
 * the search field asks for it apart once typing pauses. `suggest` is suggestCorrections, run where the caller
 * chooses (the repository's worker thread, suggestion-thread.ts).
 */
export async function searchWithSuggestions(
  db: Kysely<Database>,
  input: string,
  options: SearchOptions = {},
  suggest: Suggest = (query, searchOptions) => suggestCorrections(db, query, searchOptions),
): Promise<Result<SearchAnswer, SearchErrorCode>> {
  const page = await searchRepository(db, input, options)
  if (!page.ok) return page
  const few =
    !options.asYouType && !options.cursor && page.value.hits.length < SUGGEST_BELOW && !page.value.nextCursor
  return ok({ ...page.value, suggestions: few ? await suggest(input, options) : [] })
}

interface Term {
  readonly term: string
  readonly doc: number
}

interface Candidate extends Term {
  readonly distance: number
}

/**
 * Corrected queries for `input`, best first; none when no word of it looks misspelled. `options` are the search's
 * own (as you type, the last word is a prefix), so a suggestion is checked the way it will run.
 */
export async function suggestCorrections(
  db: Kysely<Database>,
  input: string,
  options: SearchOptions = {},
): Promise<SearchSuggestion[]> {
  const parsed = parseSearchQuery(input, { asYouType: options.asYouType === true })
  if (!parsed.ok) return []
  await sql`CREATE VIRTUAL TABLE IF NOT EXISTS temp.messages_fts_terms
    USING fts5vocab(main, messages_fts, row)`.execute(db)
  const words = new Map<string, boolean>()
  for (const term of parsed.value.include) {
    for (const token of term.tokens) words.set(foldWord(token), term.kind === 'prefix')
  }
  const corrections: [string, Candidate[]][] = []
  for (const [word, isPrefix] of words) {
    if (!isCorrectable(word)) continue
    const candidates = await correctionsOf(db, word, isPrefix)
    if (candidates.length > 0) corrections.push([word, candidates])
  }
  const suggestions: SearchSuggestion[] = []
  for (const choice of combinations(corrections).slice(0, MAX_TRIED)) {
    const query = rewriteQuery(input, new Map(choice.map(([word, c]) => [word, c.term])))
    if (query === input || !(await findsAnything(db, query, options))) continue
    suggestions.push({ query, corrections: choice.map(([word, c]) => ({ word, suggestion: c.term })) })
    if (suggestions.length === MAX_SUGGESTIONS) break
  }
  return suggestions
}

/** Letters only: numbers, identifiers with digits and CJK characters (one token each) have no spelling. */
function isCorrectable(word: string): boolean {
  return (
    [...word].length >= MIN_WORD &&
    /^\p{L}+$/u.test(word) &&
    !/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(word)
  )
}

/**
 * Vocabulary words near `word` and more frequent than it, most frequent first. A word found in SUGGEST_BELOW
 * messages or more is taken as meant; so is a prefix that some word starts with. The words that start as the
 * misspelled one could are read first; only when none is near are those with a slip in the first two letters.
 */
async function correctionsOf(db: Kysely<Database>, word: string, isPrefix: boolean): Promise<Candidate[]> {
  const rows = await termsIn(db, nearRanges(word))
  if (isPrefix && rows.some((r) => r.term.startsWith(word))) return []
  const own = rows.find((r) => r.term === word)?.doc ?? 0
  if (own >= SUGGEST_BELOW) return []
  const near = nearestOf(word, own, rows)
  return near.length > 0 ? near : nearestOf(word, own, await termsIn(db, slipRanges(word)))
}

function nearestOf(word: string, own: number, rows: readonly Term[]): Candidate[] {
  const max = [...word].length <= 4 ? 1 : 2
  const near: Candidate[] = []
  for (const r of rows) {
    if (r.doc <= own || r.term === word) continue
    const distance = editDistance(word, r.term, max)
    if (distance <= max) near.push({ ...r, distance })
  }
  near.sort((a, b) => b.doc - a.doc || a.distance - b.distance || (a.term < b.term ? -1 : 1))
  return near.slice(0, MAX_SUGGESTIONS)
}

async function termsIn(db: Kysely<Database>, prefixes: readonly string[]): Promise<Term[]> {
  const rows: Term[] = []
  for (const prefix of prefixes) {
    const found = await sql<Term>`
      SELECT term, doc FROM temp.messages_fts_terms
      WHERE term >= ${prefix} AND term < ${pastPrefix(prefix)}`.execute(db)
    rows.push(...found.rows)
  }
  return rows
}

type Choice = readonly (readonly [string, Candidate])[]

/**
 * Every way to correct the misspelled words (each keeps its three best), ordered by the rarest correction in each,
 * most frequent first: a query finds no more than its rarest word does.
 */
function combinations(corrections: readonly [string, Candidate[]][]): Choice[] {
  let choices: Choice[] = [[]]
  for (const [word, candidates] of corrections) {
    choices = choices.flatMap((choice) => candidates.map((c) => [...choice, [word, c] as const]))
  }
  const rarest = (choice: Choice) => Math.min(...choice.map(([, c]) => c.doc))
  const edits = (choice: Choice) => choice.reduce((sum, [, c]) => sum + c.distance, 0)
  return choices
    .filter((choice) => choice.length > 0)
    .sort((a, b) => rarest(b) - rarest(a) || edits(a) - edits(b))
}

/** A suggestion must find something with the query's filters and other words, or it is no help. */
async function findsAnything(db: Kysely<Database>, query: string, options: SearchOptions): Promise<boolean> {
  const page = await searchRepository(db, query, { ...options, limit: 1, cursor: null })
  return page.ok && (page.value.hits.length > 0 || page.value.titleHits.length > 0)
}
