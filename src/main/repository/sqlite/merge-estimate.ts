/**
 * What FTS5's merge of a long prefix (`conn*`) would read, estimated from the rows a prefix scan has seen
 * (prefix-scan.ts). The merge reads the postings of every word the prefix starts, whatever else the query holds:
 * `probleme con*` merges the 240,000 messages of `con*` at a million to find a few hundred. So a prefix's share
 * among the scanned rows (each of which has a word starting with its first two letters) is taken to the number of
 * messages with such a word, which the two-letter prefix index counts (once per connection, again when the
 * repository has grown by a tenth). A one-letter prefix has no such count: its merge reads a good part of the whole
 * index, and is never estimated cheap.
 */
import { sql, type Kysely } from 'kysely'
import type { SearchTerm } from '../../../shared/search/search-query'
import type { Database } from '../database-schema'
import { toFtsMatch } from './fts-match'
import { scratchMatches } from './scratch-index'
import { INDEXED_PREFIX_CHARS, lastToken } from './typed-completions'

interface Counted {
  readonly messages: number
  /** The largest message pk when counted. */
  readonly top: number
}

/** The MATCH of one term by itself, whatever else its query holds. */
const matchAlone = (term: SearchTerm): string => toFtsMatch({ include: [term], exclude: [], filters: {} })

const countsPerConnection = new WeakMap<Kysely<Database>, Map<string, Counted>>()

/** Messages with a word starting `two` (two characters), from the prefix index; recounted after growth. */
async function messagesStarting(db: Kysely<Database>, two: string, top: number): Promise<number> {
  const counts = countsPerConnection.get(db) ?? new Map<string, Counted>()
  countsPerConnection.set(db, counts)
  const known = counts.get(two)
  if (known && top <= known.top * 1.1) return known.messages
  const match = matchAlone({ kind: 'prefix', tokens: [two] })
  const { rows } = await sql<{
    n: number
  }>`SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH ${match}`.execute(db)
  const messages = rows[0]?.n ?? 0
  counts.set(two, { messages, top })
  return messages
}

export class MergeEstimate {
  private readonly hits = new Map<SearchTerm, number>()
  private scanned = 0

  /** `terms`: the query's scanned prefixes (long or one-letter), included or excluded. */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly terms: readonly SearchTerm[],
  ) {}

  private get measurable(): boolean {
    return this.terms.every((term) => [...lastToken(term)].length > INDEXED_PREFIX_CHARS)
  }

  /** Counts each prefix's matches among scanned rows `low` to `high` (in the scratch index), `count` of them. */
  async see(low: number, high: number, count: number): Promise<void> {
    this.scanned += count
    if (!this.measurable) return
    for (const term of this.terms) {
      const matches = await scratchMatches(this.db, matchAlone(term), low, high)
      this.hits.set(term, (this.hits.get(term) ?? 0) + matches.length)
    }
  }

  /** The postings the merge would read; Infinity when it cannot be told. `top`: the largest pk scanned. */
  async postings(top: number): Promise<number> {
    if (!this.measurable || this.scanned === 0) return Infinity
    let sum = 0
    for (const term of this.terms) {
      const two = [...lastToken(term)].slice(0, INDEXED_PREFIX_CHARS).join('')
      const share = (this.hits.get(term) ?? 0) / this.scanned
      sum += share * (await messagesStarting(this.db, two, top))
    }
    return sum
  }
}
