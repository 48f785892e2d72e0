/**
 * A written prefix longer than the prefix indexes (`conn*`), answered newest first without merging every word it
 * covers. FTS5 answers such a prefix by merging the postings of every word that starts with it into one list before
 * it returns a first row, and a rowid bound does not shorten that merge (fts5SetupPrefixIter reads whole lists):
 * `conn*` is 5,675 words in 240,000 messages at a million (bench corpus). A prefix of an indexed length (migration
 * 0012) is read like one word, newest first, and stops after the rows it needs.
 *
 * So the query is first asked with each such prefix cut to the indexed length (`co*`, which matches every message
 * `conn*` does, and others), newest first, a batch of rows at a time. The rows of a batch are indexed in a scratch
 * index (scratch-index.ts) and the query as written is asked there, which answers exactly as the message index
 * would. A prefix that is rare among the rows of its shorter one (`hyst*` among `hy*`) costs the merge little and
 * the scan many rows: once the rows seen say so, the rest is asked of the message index as written, below the rows
 * already read. Results, order and pages are those of the message index (prefix-scan.test.ts); bench search at a
 * million messages: see the commit that brought this and bench/README.md.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { ParsedSearch, SearchTerm } from '../../../shared/search/search-query'
import type { Database } from '../database-schema'
import { toFtsMatch } from './fts-match'
import { newestFirst, newestMatches, type Candidate } from './search-queries'
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

/** A prefix as written (`conn*`) longer than the prefix indexes; a word being typed is completed instead. */
const isUnindexedPrefix = (term: SearchTerm): boolean =>
  term.kind === 'prefix' && term.typed !== true && [...lastToken(term)].length > INDEXED_PREFIX_CHARS

/** Whether this module answers the query: it ranks newest first (a prefix in it) and has a long written prefix. */
export const answersByScan = (query: ParsedSearch): boolean =>
  newestFirst(query) && (query.include.some(isUnindexedPrefix) || query.exclude.some(isUnindexedPrefix))

/**
 * A query that matches every message `query` matches: each long prefix cut to the indexed length (the tokenizer
 * folds character by character, so the cut word's folded form starts the whole word's), exclusions of such
 * prefixes left out.
 */
export function widerQuery(query: ParsedSearch): ParsedSearch {
  const cut = (term: SearchTerm): SearchTerm => {
    if (!isUnindexedPrefix(term)) return term
    const short = [...lastToken(term)].slice(0, INDEXED_PREFIX_CHARS).join('')
    return { kind: 'prefix', tokens: [...term.tokens.slice(0, -1), short] }
  }
  return {
    ...query,
    include: query.include.map(cut),
    exclude: query.exclude.filter((term) => !isUnindexedPrefix(term)),
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
  const wider = widerQuery(query)
  const widerMatch = toFtsMatch(wider, completions)
  const rowsOf = (select: RawBuilder<Candidate>) =>
    sql`SELECT m.pk, m.text FROM (${select}) AS n JOIN messages AS m ON m.pk = n.pk`
  await resetScratch(db)
  const found: Candidate[] = []
  let below = bound
  let top: number | null = null
  let scanned = 0
  let batch = Math.max(limits.firstBatch, Math.ceil(count / 2))
  for (;;) {
    const added = await addToScratch(db, rowsOf(newestMatches(wider, widerMatch, below, batch)))
    if (added.low === null || added.high === null) return found
    found.push(...(await scratchMatches(db, match, added.low, added.high)))
    if (found.length >= count) return found.slice(0, count)
    if (added.count < batch) return found
    scanned += added.count
    top ??= added.high
    below = added.low
    // The share of the wider query's rows that match, and how many rows of the message index that is: what is
    // left to read here against what the merge would read (the wider query's rows spread over the rowids seen).
    const share = found.length / scanned
    const rowsLeft = share > 0 ? Math.ceil((count - found.length) / share) : Infinity
    const merged = share * scanned * (top / Math.max(1, top - below + 1))
    if (rowsLeft * limits.rowCost > merged || scanned + rowsLeft > limits.rows) break
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
