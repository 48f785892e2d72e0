/**
 * The list's filters as SQL over the usage tables: the shelf, source and workspace are the conversation's (a join
 * to `conversations c`), the model and device the response's own (columns of the rollup or of `usage`), and the
 * dates the response's time. Every value is a bound parameter, so one shape of filter is one cached statement.
 */
import { sql, type RawBuilder } from 'kysely'
import type { UsageFigures, UsageFilter } from '../../shared/usage/usage-report'

export const HOUR_MS = 3_600_000

type Condition = RawBuilder<unknown>

/**
 * A filter with no shelf counts every conversation not in the trash, archived ones included: what was spent stays
 * spent. The shelves themselves are the list's (src/renderer/src/conversations/conversation-query.ts).
 */
const SHELF: Record<NonNullable<UsageFilter['shelf']> | 'none', Condition> = {
  none: sql`c.deleted_at IS NULL`,
  all: sql`c.deleted_at IS NULL AND c.archived = 0`,
  starred: sql`c.deleted_at IS NULL AND c.starred = 1`,
  archived: sql`c.deleted_at IS NULL AND c.archived = 1`,
  deleted: sql`c.deleted_at IS NOT NULL`,
}

/**
 * `alias` is `h` (usage_hourly: times are whole UTC hours, so since and until are taken to the hour that holds
 * them) or `u` (usage: times are exact).
 */
export function filterConditions(filter: UsageFilter, alias: 'h' | 'u'): Condition {
  const row = sql.raw(alias)
  const conditions: Condition[] = [SHELF[filter.shelf ?? 'none']]
  if (filter.source != null) conditions.push(sql`c.source = ${filter.source}`)
  if (filter.workspace != null) conditions.push(sql`c.workspace = ${filter.workspace}`)
  if (filter.model != null) conditions.push(sql`${row}.model = ${filter.model}`)
  if (filter.deviceId != null) conditions.push(sql`${row}.device_id = ${filter.deviceId}`)
  if (alias === 'h') {
    if (filter.since != null) conditions.push(sql`h.hour >= ${Math.floor(filter.since / HOUR_MS)}`)
    if (filter.until != null) conditions.push(sql`h.hour < ${Math.ceil(filter.until / HOUR_MS)}`)
  } else {
    if (filter.since != null) conditions.push(sql`u.at >= ${filter.since}`)
    if (filter.until != null) conditions.push(sql`u.at < ${filter.until}`)
  }
  return sql.join(conditions, sql` AND `)
}

/** The sums every usage answer selects, over the rollup (`h`). */
export const ROLLUP_SUMS = sql.raw(`sum(h.responses) AS responses, sum(h.tokens_in) AS tokens_in,
  sum(h.tokens_out) AS tokens_out, sum(h.cache_writes) AS cache_writes, sum(h.cache_writes_1h) AS cache_writes_1h,
  sum(h.cache_reads) AS cache_reads, sum(h.cost) AS cost, sum(h.cost_uncached) AS cost_uncached,
  sum(h.unpriced) AS unpriced`)

export interface FigureRow {
  readonly responses: number | null
  readonly tokens_in: number | null
  readonly tokens_out: number | null
  readonly cache_writes: number | null
  readonly cache_writes_1h: number | null
  readonly cache_reads: number | null
  readonly cost: number | null
  readonly cost_uncached: number | null
  readonly unpriced: number | null
}

export const toFigures = (row: FigureRow): UsageFigures => ({
  responses: row.responses ?? 0,
  tokensIn: row.tokens_in ?? 0,
  tokensOut: row.tokens_out ?? 0,
  cacheWrites: row.cache_writes ?? 0,
  cacheWrites1h: row.cache_writes_1h ?? 0,
  cacheReads: row.cache_reads ?? 0,
  cost: row.cost ?? 0,
  uncachedCost: row.cost_uncached ?? 0,
  unpricedResponses: row.unpriced ?? 0,
})
