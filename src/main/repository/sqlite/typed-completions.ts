/**
 * The word being typed, without expanding it over the whole index. FTS5 answers a prefix query by merging the
 * postings of every word that starts with it before it returns a first row: `conn*` is 5,675 words in 240,000
 * messages at a million (bench corpus). A prefix of two characters has postings of its own (migration 0016) and
 * is read directly; one of a single letter is scanned (prefix-scan.ts). A longer word being typed that starts at
 * most TYPED_COMPLETIONS words of the message index stands for them, matched as an OR of whole words, which FTS5
 * walks newest first and stops after the window; one that starts more is scanned like a written prefix. Either way
 * the answer is exact, and the vocabulary is read only as far as the first TYPED_COMPLETIONS + 1 words.
 */
import { sql, type Kysely } from 'kysely'
import type { ParsedSearch, SearchTerm } from '../../../shared/search/search-query'
import type { Database } from '../database-schema'
import { foldWord } from './suggestion-words'
import { pastPrefix } from './vocabulary-ranges'

/** The length migration 0016 keeps prefix postings for; a prefix of exactly this length is read from them. */
export const INDEXED_PREFIX_CHARS = 2
export const TYPED_COMPLETIONS = 16

/**
 * The whole words that stand for a typed prefix, in the vocabulary's order: all of them, so the OR is exact (none
 * when no word starts with it, and the prefix is then asked as it is, which finds nothing at once). A typed prefix
 * that is not in it starts too many words and is scanned.
 */
export type Completions = ReadonlyMap<SearchTerm, readonly string[]>

/** The term's last word: the one a prefix applies to. */
export const lastToken = (term: SearchTerm): string => term.tokens.at(-1) ?? ''

function needsCompletions(term: SearchTerm): boolean {
  return term.kind === 'prefix' && term.typed === true && [...lastToken(term)].length > INDEXED_PREFIX_CHARS
}

/** The first TYPED_COMPLETIONS + 1 words that start with `prefix`: one more than that says there are too many. */
async function firstCompletions(db: Kysely<Database>, prefix: string): Promise<string[]> {
  const { rows } = await sql<{ term: string }>`
    SELECT term FROM temp.messages_fts_terms WHERE term >= ${prefix} AND term < ${pastPrefix(prefix)}
    LIMIT ${TYPED_COMPLETIONS + 1}`.execute(db)
  return rows.map((r) => r.term)
}

export async function typedCompletions(db: Kysely<Database>, query: ParsedSearch): Promise<Completions> {
  const typed = query.include.filter(needsCompletions)
  if (typed.length === 0) return new Map()
  // The vocabulary of the message index; in the temp schema, so nothing in the file changes (as search-suggestions.ts).
  await sql`CREATE VIRTUAL TABLE IF NOT EXISTS temp.messages_fts_terms
    USING fts5vocab(main, messages_fts, row)`.execute(db)
  const completions = new Map<SearchTerm, string[]>()
  for (const term of typed) {
    const words = await firstCompletions(db, foldWord(lastToken(term)))
    if (words.length <= TYPED_COMPLETIONS) completions.set(term, words)
  }
  return completions
}
