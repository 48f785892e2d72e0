/**
 * Open WebUI's way of searching chats: `LIKE '%term%'` over the stored text, no index, first 50 rows. We run it on
 * our own messages table, so the only difference from our figure is the method. CJK terms get the same zero-width
 * separators as the stored text, or LIKE could never find them here.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { Database } from '../../../src/main/repository/database-schema'
import { toSearchText } from '../../../src/shared/search/search-text'
import type { LatencySummary } from '../../lib/stats'
import { measure } from '../../lib/timing'
import { afterEpochMs, type BenchQuery } from '../query-set'

export interface PeerQueryFigures {
  readonly name: string
  readonly latency: LatencySummary
  readonly hits: number
}

/** LIKE's own wildcards in a term must be literal. */
const likePattern = (text: string): string => `%${toSearchText(text).replace(/[\\%_]/g, (c) => `\\${c}`)}%`

function likeQuery(query: BenchQuery): RawBuilder<{ pk: number }> {
  const where: RawBuilder<unknown>[] = query.terms.map(
    (t) => sql`m.text LIKE ${likePattern(t.text)} ESCAPE '\\'`,
  )
  const f = query.filters
  if (f) {
    where.push(sql`c.source = ${f.source}`, sql`coalesce(m.created_at, c.created_at) >= ${afterEpochMs(f)}`)
  }
  return sql<{ pk: number }>`
    SELECT m.pk, m.conversation_id, substr(m.text, 1, 160) AS preview
    FROM messages m JOIN conversations c ON c.id = m.conversation_id
    WHERE ${sql.join(where, sql` AND `)}
    LIMIT 50`
}

export async function measureLike(
  db: Kysely<Database>,
  queries: readonly BenchQuery[],
  runs: number,
  log: (line: string) => void,
): Promise<PeerQueryFigures[]> {
  const figures: PeerQueryFigures[] = []
  for (const query of queries) {
    const statement = likeQuery(query)
    const { summary, last } = await measure(
      { warmup: 1, runs },
      async () => (await statement.execute(db)).rows.length,
    )
    log(`  LIKE ${query.name}: p50 ${summary.p50} ms`)
    figures.push({ name: query.name, latency: summary, hits: last })
  }
  return figures
}
