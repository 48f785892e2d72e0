/**
 * The usage queries' latency on the large library, as the dashboard and `chronicle usage` ask them: each query a
 * few untimed runs, then timed runs, p50 and p95 in milliseconds, and the size of its answer.
 */
import type { Repository } from '../../../src/main/repository/repository'
import { billingBlocks, usageRankings, usageSeries } from '../../../src/main/usage/usage-queries'
import type { UsageFilter } from '../../../src/shared/usage/usage-report'
import { CORPUS_END, CORPUS_START, WORKSPACES } from '../../corpus/conversation-meta'
import type { LatencySummary } from '../../lib/stats'
import { measure } from '../../lib/timing'
import { DEVICES } from './insert-both'

export interface QueryFigures {
  readonly name: string
  readonly summary: LatencySummary
  /** Buckets, conversations or blocks in the answer. */
  readonly rows: number
}

const DAY = 86_400_000
/** The last year of the corpus, at local midnights of UTC+2. */
const OFFSET = 120
const LAST_YEAR = { since: CORPUS_END - 365 * DAY - OFFSET * 60_000, until: CORPUS_END - OFFSET * 60_000 }

/** Every filter the list has, each set: the busiest workspace, one model, one device, the last year. */
export const ALL_FILTERS: UsageFilter = {
  shelf: 'all',
  source: 'claude-code',
  workspace: WORKSPACES[0] ?? null,
  model: 'claude-sonnet-4-5',
  deviceId: DEVICES[0],
  ...LAST_YEAR,
}

export async function timeQueries(repo: Repository, runs: number): Promise<QueryFigures[]> {
  const db = repo.db
  const series =
    (period: 'day' | 'week' | 'month', by: 'model' | 'workspace' | null, filter: UsageFilter) => () =>
      usageSeries(db, { period, by, filter, utcOffsetMinutes: OFFSET }).then((s) => s.buckets.length)
  const cases: [string, () => Promise<number>, number][] = [
    ['daily, no filter', series('day', null, {}), runs],
    ['daily, all filters', series('day', null, ALL_FILTERS), runs],
    ['daily, last year, shelf all', series('day', null, { shelf: 'all', ...LAST_YEAR }), runs],
    ['weekly, no filter', series('week', null, {}), runs],
    ['monthly, no filter', series('month', null, {}), runs],
    ['daily by model', series('day', 'model', {}), runs],
    ['daily by workspace', series('day', 'workspace', {}), runs],
    [
      'rankings (top 10), no filter',
      () => usageRankings(db, { filter: {} }).then((r) => r.conversations.length),
      runs,
    ],
    [
      'rankings, all filters',
      () => usageRankings(db, { filter: ALL_FILTERS }).then((r) => r.conversations.length),
      runs,
    ],
    [
      'blocks, whole history',
      () => billingBlocks(db, { filter: {}, now: CORPUS_END }).then((b) => b.length),
      Math.max(5, Math.round(runs / 5)),
    ],
    [
      'blocks, last 30 days',
      () =>
        billingBlocks(db, { filter: { since: CORPUS_END - 30 * DAY }, now: CORPUS_END }).then(
          (b) => b.length,
        ),
      runs,
    ],
  ]
  const figures: QueryFigures[] = []
  for (const [name, query, timedRuns] of cases) {
    const { summary, last } = await measure({ warmup: 3, runs: timedRuns }, query)
    figures.push({ name, summary, rows: last })
  }
  return figures
}

/** The span the corpus covers, for the report. */
export const CORPUS_SPAN_DAYS = Math.round((CORPUS_END - CORPUS_START) / DAY)
