/**
 * A prefix the message index has no postings of its own for, answered newest first without merging every word it
 * covers: one longer than the prefix index, written (`conn*`) or being typed when it starts too many words to list
 * (typed-completions.ts), and a one-letter prefix, written or being typed (`c*`). FTS5 answers such a prefix by
 * merging the postings of every word that starts with it into one list before it returns a first row, and a rowid
 * bound does not shorten that merge (fts5SetupPrefixIter reads whole lists): `conn*` is 5,675 words in 240,000
 * messages at a million (bench corpus), `c*` a tenth of the whole index. A prefix of the indexed length (two
 * characters, migration 0016) is read like one word, newest first, and stops after the rows it needs.
 *
 * So the query is first asked with each such prefix made wider: a long one cut to the indexed length (`co*`, which
 * matches every message `conn*` does, and others), a one-letter one left out (only the words before it in its phrase
 * stay), newest first, a batch of rows at a time; with nothing left to match, the newest messages that pass the
 * filters are read. The rows of a batch are indexed in a scratch index (scratch-index.ts) and the query as written is
 * asked there, which answers exactly as the message index would. A long prefix that is rare among the rows of its
 * shorter one (`hyst*` among `hy*`) costs the merge little and the scan many rows: once the rows seen say so, the rest
 * is asked of the message index as written, below the rows already read. Results, order and pages are those of the
 * message index (prefix-scan.test.ts); bench search at a million messages: see bench/README.md.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { ParsedSearch, SearchTerm } from '../../../shared/search/search-query'
import type { Database } from '../database-schema'
import { toFtsMatch } from './fts-match'
import { newestFiltered, newestFirst, newestMatches, type Candidate } from './search-queries'
import { MergeEstimate } from './merge-estimate'
import { addToScratch, resetScratch, scratchMatches } from './scratch-index'
import { INDEXED_PREFIX_CHARS, lastToken, type Completions } from './typed-completions'

/**
 * How the scan goes. The first batch reads `firstBatch` rows of the wider query, or one per two rows wanted, enough
 * to tell a common prefix from a rare one; each later one what the matches found so far say is left. `rowCost` is
 * what indexing a row in the scratch costs, counted in rows of a long prefix's postings that the message index
 * would merge instead (measured at a million messages: 20-25 µs a row against 0.15-0.3 µs a posting); when the
 * rows left would cost more than the merge, the rest is asked of the message index, and so it is in any case past
 * `rows` rows.
 */
export interface ScanLimits {
  readonly firstBatch: number
  readonly rowCost: number
  readonly rows: number
}

const SCAN_LIMITS: ScanLimits = { firstBatch: 16, rowCost: 100, rows: 2_048 }

/** One letter, or a prefix longer than the index's that is not asked as the words it starts (`completions`). */
function isScannedPrefix(term: SearchTerm, completions: Completions): boolean {
  if (term.kind !== 'prefix') return false
  const length = [...lastToken(term)].length
  return length < INDEXED_PREFIX_CHARS || (length > INDEXED_PREFIX_CHARS && !completions.has(term))
}

/** A one-letter prefix, which the message index would answer by merging every word of that letter. */
export const isOneLetterPrefix = (term: SearchTerm): boolean =>
  term.kind === 'prefix' && [...lastToken(term)].length < INDEXED_PREFIX_CHARS

/** Whether this module answers the query: it ranks newest first (a prefix in it) and has a scanned prefix. */
export function answersByScan(query: ParsedSearch, completions: Completions = new Map()): boolean {
  const scanned = (term: SearchTerm) => isScannedPrefix(term, completions)
  return newestFirst(query) && (query.include.some(scanned) || query.exclude.some(scanned))
}

/**
 * A query that matches every message `query` matches: each long prefix cut to the indexed length (the tokenizer
 * folds character by character, so the cut word's folded form starts the whole word's), each one-letter prefix
 * left out of its phrase (a term of that letter alone is left out), exclusions of scanned prefixes left out. Its
 * `include` may then be empty: every message matches it.
 */
export function widerQuery(query: ParsedSearch, completions: Completions = new Map()): ParsedSearch {
  const wider = (term: SearchTerm): SearchTerm[] => {
    if (!isScannedPrefix(term, completions)) return [term]
    const before = term.tokens.slice(0, -1)
    if (isOneLetterPrefix(term)) return before.length > 0 ? [{ kind: 'phrase', tokens: before }] : []
    const short = [...lastToken(term)].slice(0, INDEXED_PREFIX_CHARS).join('')
    return [{ kind: 'prefix', tokens: [...before, short] }]
  }
  return {
    ...query,
    include: query.include.flatMap(wider),
    exclude: query.exclude.filter((term) => !isScannedPrefix(term, completions)),
  }
}

/**
 * The newest `count` messages below `bound` that `query` matches, with its filters; scored newest first. `match`
 * is the query's own MATCH, made with `completions` (a word being typed beside the written prefix). The messages
 * returned are in the scratch index when it returns, for their snippets.
 */
export async function scanNewest(
  db: Kysely<Database>,
  query: ParsedSearch,
  completions: Completions,
  match: string,
  bound: number | null,
  count: number,
  limits: ScanLimits = SCAN_LIMITS,
): Promise<Candidate[]> {
  const wider = widerQuery(query, completions)
  const widerMatch = toFtsMatch(wider, completions)
  const newest = (below: number | null, batch: number): RawBuilder<Candidate> =>
    wider.include.length > 0
      ? newestMatches(wider, widerMatch, below, batch)
      : newestFiltered(query, below, batch)
  const rowsOf = (select: RawBuilder<Candidate>) =>
    sql`SELECT m.pk, m.text FROM (${select}) AS n JOIN messages AS m ON m.pk = n.pk`
  const scannedTerms = [...query.include, ...query.exclude].filter((term) =>
    isScannedPrefix(term, completions),
  )
  const merge = new MergeEstimate(db, scannedTerms)
  await resetScratch(db)
  const found: Candidate[] = []
  let below = bound
  let top: number | null = null
  let scanned = 0
  let batch = Math.max(limits.firstBatch, Math.ceil(count / 2))
  for (;;) {
    const added = await addToScratch(db, rowsOf(newest(below, batch)))
    if (added.low === null || added.high === null) return found
    found.push(...(await scratchMatches(db, match, added.low, added.high)))
    await merge.see(added.low, added.high, added.count)
    if (found.length >= count) return found.slice(0, count)
    if (added.count < batch) return found
    scanned += added.count
    top ??= added.high
    below = added.low
    // The share of the wider query's rows that match: what is left to read here, against what the merge would
    // read (merge-estimate.ts). Rows without a match say little; read four times as many next.
    const share = found.length / scanned
    const rowsLeft = share > 0 ? Math.ceil((count - found.length) / share) : batch * 4
    if (rowsLeft * limits.rowCost > (await merge.postings(top)) || scanned + rowsLeft > limits.rows) break
    batch = Math.ceil(rowsLeft * 1.25) + 8
  }
  const rest = (await newestMatches(query, match, below, count - found.length).execute(db)).rows
  if (rest.length > 0) {
    await addToScratch(
      db,
      sql`SELECT pk, text FROM messages WHERE pk IN (${sql.join(rest.map((r) => r.pk))})`,
    )
  }
  return [...found, ...rest]
}
