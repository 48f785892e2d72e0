/**
 * Usage over time and the most expensive conversations and workspaces, read from the hourly rollup that triggers
 * keep beside `usage` (migration 0011): two years of a million messages are tens of thousands of rollup rows, so
 * a series is one grouped scan of them joined to their conversations, whatever the filters.
 *
 * Periods are local: the caller's UTC offset (minutes east of UTC) is added to each UTC hour before it is cut into
 * days, ISO weeks (Monday first) and months. The rollup keeps whole hours, so in a zone whose offset is not a whole
 * number of hours (India, +05:30) a day's edge is up to 45 minutes off: the hour that straddles it counts whole on
 * the side where it starts.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { Source } from '../../shared/domain'
import { fromSearchText } from '../../shared/search/search-text'
import {
  addFigures,
  NO_USAGE,
  type UsageDimension,
  type UsageFilter,
  type UsagePeriod,
  type UsageRankings,
  type UsageSeries,
} from '../../shared/usage/usage-report'
import type { Database } from '../repository/database-schema'
import { filterConditions, ROLLUP_SUMS, toFigures, type FigureRow } from './usage-filter'

export { billingBlocks } from './usage-blocks'

const DAY_MS = 86_400_000
/** The widest offsets in use (UTC-12 to UTC+14). */
const MAX_OFFSET_MINUTES = 14 * 60

export interface UsageSeriesQuery {
  readonly period: UsagePeriod
  readonly by: UsageDimension | null
  readonly filter: UsageFilter
  readonly utcOffsetMinutes: number
}

const KEY: Record<UsageDimension | 'none', RawBuilder<unknown>> = {
  none: sql`''`,
  model: sql`h.model`,
  device: sql`h.device_id`,
  source: sql`c.source`,
  workspace: sql`coalesce(c.workspace, '')`,
}

/** The first day of the period that holds local day `d` (days since 1970-01-01, a Thursday). */
const PERIOD_START_DAY: Record<UsagePeriod, RawBuilder<unknown>> = {
  day: sql`d`,
  week: sql`d - ((d + 3) % 7)`,
  month: sql`CAST(strftime('%s', d * 86400, 'unixepoch', 'start of month') AS INTEGER) / 86400`,
}

const OUTER_SUMS =
  sql.raw(`sum(responses) AS responses, sum(tokens_in) AS tokens_in, sum(tokens_out) AS tokens_out,
  sum(cache_writes) AS cache_writes, sum(cache_writes_1h) AS cache_writes_1h, sum(cache_reads) AS cache_reads,
  sum(cost) AS cost, sum(cost_uncached) AS cost_uncached, sum(unpriced) AS unpriced`)

function checkOffset(minutes: number): number {
  if (!Number.isInteger(minutes) || Math.abs(minutes) > MAX_OFFSET_MINUTES)
    throw new RangeError(`utcOffsetMinutes must be a whole number from -840 to 840, not ${minutes}`)
  return minutes
}

export async function usageSeries(db: Kysely<Database>, query: UsageSeriesQuery): Promise<UsageSeries> {
  const offset = checkOffset(query.utcOffsetMinutes)
  // Bound numbers arrive as REAL: the cast keeps the division by 1440 an integer one.
  const perDay = sql`SELECT (h.hour * 60 + CAST(${offset} AS INTEGER)) / 1440 AS d, ${KEY[query.by ?? 'none']} AS key,
      ${ROLLUP_SUMS}
    FROM usage_hourly h JOIN conversations c ON c.id = h.conversation_id
    WHERE ${filterConditions(query.filter, 'h')}
    GROUP BY d, key`
  // Days need no second grouping; weeks and months regroup the (at most a few thousand) day rows.
  const grouped =
    query.period === 'day'
      ? sql<FigureRow & { day: number; key: string }>`SELECT d AS day, * FROM (${perDay}) ORDER BY day, key`
      : sql<FigureRow & { day: number; key: string }>`SELECT ${PERIOD_START_DAY[query.period]} AS day, key,
          ${OUTER_SUMS} FROM (${perDay}) GROUP BY 1, 2 ORDER BY 1, 2`
  const { rows } = await grouped.execute(db)
  let totals = NO_USAGE
  const buckets = rows.map((row) => {
    const figures = toFigures(row)
    totals = addFigures(totals, figures)
    return { start: row.day * DAY_MS - offset * 60_000, key: String(row.key), figures }
  })
  return { period: query.period, by: query.by, utcOffsetMinutes: offset, buckets, totals }
}

export interface UsageRankingsQuery {
  readonly filter: UsageFilter
  /** How many conversations and workspaces (1 to 10,000; default 10). */
  readonly limit?: number
}

export async function usageRankings(db: Kysely<Database>, query: UsageRankingsQuery): Promise<UsageRankings> {
  const limit = Math.min(10_000, Math.max(1, Math.floor(query.limit ?? 10)))
  const where = filterConditions(query.filter, 'h')
  // Ties (equal cost) fall to the larger token count, then the id, so the order is the same on every run.
  const conversations = await sql<
    FigureRow & { id: string; title: string; source: Source; workspace: string | null }
  >`SELECT h.conversation_id AS id, c.title, c.source, c.workspace, ${ROLLUP_SUMS}
    FROM usage_hourly h JOIN conversations c ON c.id = h.conversation_id
    WHERE ${where}
    GROUP BY h.conversation_id
    ORDER BY sum(h.cost) DESC, sum(h.tokens_in + h.tokens_out + h.cache_writes + h.cache_reads) DESC, id
    LIMIT ${limit}`.execute(db)
  const workspaces = await sql<
    FigureRow & { key: string }
  >`SELECT coalesce(c.workspace, '') AS key, ${ROLLUP_SUMS}
    FROM usage_hourly h JOIN conversations c ON c.id = h.conversation_id
    WHERE ${where}
    GROUP BY 1
    ORDER BY sum(h.cost) DESC, sum(h.tokens_in + h.tokens_out + h.cache_writes + h.cache_reads) DESC, key
    LIMIT ${limit}`.execute(db)
  return {
    conversations: conversations.rows.map((row) => ({
      id: row.id,
      title: fromSearchText(row.title),
      source: row.source,
      workspace: row.workspace,
      figures: toFigures(row),
    })),
    workspaces: workspaces.rows.map((row) => ({ key: row.key, figures: toFigures(row) })),
  }
}
