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
import { figureColumns, filterConditions, sums, toFigures, type FigureRow } from './usage-filter'

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

/** The rollup's own columns; source and workspace are the conversation's (`c`). */
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

function checkOffset(minutes: number): number {
  if (!Number.isInteger(minutes) || Math.abs(minutes) > MAX_OFFSET_MINUTES)
    throw new RangeError(`utcOffsetMinutes must be a whole number from -840 to 840, not ${minutes}`)
  return minutes
}

export async function usageSeries(db: Kysely<Database>, query: UsageSeriesQuery): Promise<UsageSeries> {
  const offset = checkOffset(query.utcOffsetMinutes)
  const where = filterConditions(query.filter, 'h')
  // Bound numbers arrive as REAL: the cast keeps the division by 1440 an integer one.
  const day = sql`(h.hour * 60 + CAST(${offset} AS INTEGER)) / 1440`
  const by = query.by ?? 'none'
  // A conversation's source or workspace is looked up once per day it was used, not once per rollup row.
  const perDay =
    by === 'source' || by === 'workspace'
      ? sql`SELECT x.d AS d, ${KEY[by]} AS key, ${sums('x')}
          FROM (SELECT ${day} AS d, h.conversation_id, ${sums('h')} FROM usage_hourly h WHERE ${where}
            GROUP BY d, h.conversation_id) x
          JOIN conversations c ON c.id = x.conversation_id
          GROUP BY x.d, key`
      : sql`SELECT ${day} AS d, ${KEY[by]} AS key, ${sums('h')} FROM usage_hourly h WHERE ${where} GROUP BY d, key`
  // Days need no second grouping; weeks and months regroup the (at most a few thousand) day rows.
  type Row = FigureRow & { day: number; key: string }
  const grouped =
    query.period === 'day'
      ? sql<Row>`SELECT d AS day, * FROM (${perDay}) ORDER BY day, key`
      : sql<Row>`SELECT ${PERIOD_START_DAY[query.period]} AS day, key, ${sums('p')}
          FROM (${perDay}) p GROUP BY 1, 2 ORDER BY 1, 2`
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

/** A row of either list: `list` 0 is a conversation (`key` its id), 1 a workspace (`key` its path, '' for none). */
type RankRow = FigureRow & {
  list: 0 | 1
  key: string
  title: string | null
  source: Source | null
  workspace: string | null
}

/**
 * Both lists from one statement: each conversation's sums are computed once (a CTE read twice is materialized)
 * and feed the costliest conversations and the workspaces' sums, which asking twice computed twice. Ties (equal
 * cost) fall to the larger token count, then the key, so the order is the same on every run. Only the
 * conversations shown are looked up for their title.
 */
export async function usageRankings(db: Kysely<Database>, query: UsageRankingsQuery): Promise<UsageRankings> {
  const limit = Math.min(10_000, Math.max(1, Math.floor(query.limit ?? 10)))
  const where = filterConditions(query.filter, 'h')
  const { rows } = await sql<RankRow>`WITH per AS (
      SELECT h.conversation_id AS id, ${sums('h')},
        sum(h.tokens_in + h.tokens_out + h.cache_writes + h.cache_reads) AS tokens
      FROM usage_hourly h WHERE ${where} GROUP BY h.conversation_id),
    costliest AS (SELECT * FROM per ORDER BY cost DESC, tokens DESC, id LIMIT ${limit}),
    places AS (SELECT coalesce(c.workspace, '') AS key, ${sums('r')}, sum(r.tokens) AS tokens
      FROM per r JOIN conversations c ON c.id = r.id
      GROUP BY 1 ORDER BY cost DESC, tokens DESC, key LIMIT ${limit})
    SELECT 0 AS list, r.id AS key, c.title, c.source, c.workspace, ${figureColumns('r')},
      row_number() OVER (ORDER BY r.cost DESC, r.tokens DESC, r.id) AS rank
    FROM costliest r JOIN conversations c ON c.id = r.id
    UNION ALL
    SELECT 1, p.key, NULL, NULL, NULL, ${figureColumns('p')},
      row_number() OVER (ORDER BY p.cost DESC, p.tokens DESC, p.key)
    FROM places p
    ORDER BY list, rank`.execute(db)
  const conversations: UsageRankings['conversations'][number][] = []
  const workspaces: UsageRankings['workspaces'][number][] = []
  for (const row of rows) {
    if (row.list === 1) workspaces.push({ key: row.key, figures: toFigures(row) })
    else
      conversations.push({
        id: row.key,
        title: fromSearchText(row.title ?? ''),
        source: row.source as Source,
        workspace: row.workspace,
        figures: toFigures(row),
      })
  }
  return { conversations, workspaces }
}
