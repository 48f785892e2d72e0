/**
 * What the Cline and Roo history views do: Fuse.js fuzzy search over task titles only, with Cline's options. The
 * index is built once over every title (timed), then each query is timed. Titles only, so it answers a smaller
 * question than ours: the ratio is what that shortcut buys, and its hit count shows what it misses.
 */
import Fuse, { type IFuseOptions } from 'fuse.js'
import type { Kysely } from 'kysely'
import type { Database } from '../../../src/main/repository/database-schema'
import { measure, timed } from '../../lib/timing'
import type { BenchQuery } from '../query-set'
import type { PeerQueryFigures } from './like-peer'

interface HistoryItem {
  readonly id: string
  readonly task: string
}

/** As in Cline's HistoryView.tsx. */
const CLINE_OPTIONS: IFuseOptions<HistoryItem> = {
  keys: ['task'],
  threshold: 0.6,
  shouldSort: true,
  isCaseSensitive: false,
  ignoreLocation: false,
  includeMatches: true,
  minMatchCharLength: 1,
}

export interface FuseFigures {
  readonly titles: number
  readonly buildMs: number
  readonly queries: readonly PeerQueryFigures[]
}

export async function measureFuse(
  db: Kysely<Database>,
  queries: readonly BenchQuery[],
  runs: number,
): Promise<FuseFigures> {
  const rows = await db.selectFrom('conversations').select(['id', 'title']).execute()
  const items: HistoryItem[] = rows.map((r) => ({ id: r.id, task: r.title }))
  const build = await timed(() => new Fuse(items, CLINE_OPTIONS))
  const fuse = build.value
  const figures: PeerQueryFigures[] = []
  for (const query of queries) {
    // Fuse has no filters or operators: the user types the words.
    const text = query.terms.map((t) => t.text).join(' ')
    const { summary, last } = await measure({ warmup: 2, runs }, () =>
      fuse.search(text).filter((r) => (r.matches?.length ?? 0) > 0),
    )
    figures.push({ name: query.name, latency: summary, hits: last.length })
  }
  return { titles: items.length, buildMs: Math.round(build.ms * 100) / 100, queries: figures }
}
