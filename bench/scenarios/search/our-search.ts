/**
 * Chronicle's own search, timed the way the app calls it: Repository.search, first page of 50 with snippets.
 * Hit counts come from separate COUNT queries, so the reader sees how many matches each latency had to rank.
 */
import { sql, type Kysely } from 'kysely'
import type { Database } from '../../../src/main/repository/database-schema'
import type { Repository } from '../../../src/main/repository/repository'
import { toFtsMatch } from '../../../src/main/repository/sqlite/fts-match'
import { parseSearchQuery } from '../../../src/shared/search/search-query'
import type { LatencySummary } from '../../lib/stats'
import { measure } from '../../lib/timing'
import { afterEpochMs, chronicleQuery, type BenchQuery } from '../query-set'

export interface OurQueryFigures {
  readonly name: string
  readonly query: string
  readonly latency: LatencySummary
  readonly pageHits: number
  readonly matchingMessages: number
  readonly matchingTitles: number
}

async function countMatches(
  db: Kysely<Database>,
  query: BenchQuery,
): Promise<{ messages: number; titles: number }> {
  const parsed = parseSearchQuery(chronicleQuery(query))
  if (!parsed.ok) throw new Error(`bench query does not parse: ${parsed.error.message}`)
  const match = toFtsMatch(parsed.value)
  const f = query.filters
  const messages = f
    ? sql<{ n: number }>`SELECT count(*) AS n FROM messages_fts JOIN messages m ON m.pk = messages_fts.rowid
        JOIN conversations c ON c.id = m.conversation_id
        WHERE messages_fts MATCH ${match} AND c.source = ${f.source}
          AND coalesce(m.created_at, c.created_at) >= ${afterEpochMs(f)}`
    : sql<{ n: number }>`SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH ${match}`
  const titles = f
    ? sql<{
        n: number
      }>`SELECT count(*) AS n FROM conversations_fts JOIN conversations c ON c.pk = conversations_fts.rowid
        WHERE conversations_fts MATCH ${match} AND c.source = ${f.source} AND c.last_activity_at >= ${afterEpochMs(f)}`
    : sql<{ n: number }>`SELECT count(*) AS n FROM conversations_fts WHERE conversations_fts MATCH ${match}`
  const [m, t] = [(await messages.execute(db)).rows[0], (await titles.execute(db)).rows[0]]
  return { messages: m?.n ?? 0, titles: t?.n ?? 0 }
}

export async function measureOurSearch(
  repo: Repository,
  queries: readonly BenchQuery[],
  runs: number,
): Promise<OurQueryFigures[]> {
  const figures: OurQueryFigures[] = []
  for (const query of queries) {
    const text = chronicleQuery(query)
    const { summary, last } = await measure({ warmup: 5, runs }, async () => {
      const result = await repo.search(text, { limit: 50 })
      if (!result.ok) throw new Error(`search "${text}" failed: ${result.error.message}`)
      return result.value.hits.length
    })
    const counts = await countMatches(repo.db, query)
    figures.push({
      name: query.name,
      query: text,
      latency: summary,
      pageHits: last,
      matchingMessages: counts.messages,
      matchingTitles: counts.titles,
    })
  }
  return figures
}
