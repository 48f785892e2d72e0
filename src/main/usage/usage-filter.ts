/**
 * The list's filters as SQL over the usage tables: the shelf, source and workspace are the conversation's, the model
 * and device the response's own (columns of the rollup or of `usage`), and the dates the response's time. Every
 * value is a bound parameter, so one shape of filter is one cached statement.
 *
 * The conversation's part is a set of conversation ids (`IN (SELECT id FROM conversations ...)`), which SQLite
 * builds once per query and probes from memory, not a join that looks up every rollup row's conversation: at
 * 18,000 rollup rows that halves a daily series. With no source or workspace and the default shelves, the set is
 * the complement (the few deleted or archived conversations, `NOT IN`).
 */
import { sql, type RawBuilder } from 'kysely'
import type { UsageFigures, UsageFilter } from '../../shared/usage/usage-report'

export const HOUR_MS = 3_600_000

type Condition = RawBuilder<unknown>
type Shelf = NonNullable<UsageFilter['shelf']> | 'none'

/**
 * A filter with no shelf counts every conversation not in the trash, archived ones included: what was spent stays
 * spent. The shelves themselves are the list's (src/renderer/src/conversations/conversation-query.ts).
 */
const SHELF: Record<Shelf, Condition> = {
  none: sql`c.deleted_at IS NULL`,
  all: sql`c.deleted_at IS NULL AND c.archived = 0`,
  starred: sql`c.deleted_at IS NULL AND c.starred = 1`,
  archived: sql`c.deleted_at IS NULL AND c.archived = 1`,
  deleted: sql`c.deleted_at IS NOT NULL`,
}
/** What the default shelves leave out: few conversations, so the complement is the smaller set to build. */
const LEFT_OUT: Partial<Record<Shelf, Condition>> = {
  none: sql`c.deleted_at IS NOT NULL`,
  all: sql`c.deleted_at IS NOT NULL OR c.archived = 1`,
}

function conversationSet(filter: UsageFilter, row: Condition, byTime: boolean): Condition {
  const shelf = filter.shelf ?? 'none'
  const own: Condition[] = []
  if (filter.source != null) own.push(sql`c.source = ${filter.source}`)
  if (filter.workspace != null) own.push(sql`c.workspace = ${filter.workspace}`)
  // A unary + keeps SQLite from reading the rows by conversation (see filterConditions).
  const column = byTime ? sql`+${row}.conversation_id` : sql`${row}.conversation_id`
  const leftOut = LEFT_OUT[shelf]
  if (own.length === 0 && leftOut)
    return sql`${column} NOT IN (SELECT c.id FROM conversations c WHERE ${leftOut})`
  const where = sql.join([SHELF[shelf], ...own], sql` AND `)
  return sql`${column} IN (SELECT c.id FROM conversations c WHERE ${where})`
}

/**
 * `alias` is `h` (usage_hourly: times are whole UTC hours, so since and until are taken to the hour that holds
 * them) or `u` (usage: times are exact). With a `since` and no workspace, the responses of `usage` are read by
 * time: SQLite would otherwise read them by conversation (its primary key), every response of every Claude Code
 * conversation for a week's billing windows (the large library: 25 ms, against 5 ms through the time index).
 * A workspace's few conversations are still the shorter way in.
 */
export function filterConditions(filter: UsageFilter, alias: 'h' | 'u'): Condition {
  const row = sql.raw(alias)
  const conditions: Condition[] = [
    conversationSet(filter, row, alias === 'u' && filter.since != null && filter.workspace == null),
  ]
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

/** The rollup's figure columns, as every query that sums them names them. */
const FIGURES = [
  'responses',
  'tokens_in',
  'tokens_out',
  'cache_writes',
  'cache_writes_1h',
  'cache_reads',
  'cost',
  'cost_uncached',
  'unpriced',
]

/** The sums of the rollup's columns, over `h` (the rollup) or over a subquery that kept their names. */
export const sums = (alias: string) => sql.raw(FIGURES.map((c) => `sum(${alias}.${c}) AS ${c}`).join(', '))

/** The same columns of a row already summed, under their own names. */
export const figureColumns = (alias: string) => sql.raw(FIGURES.map((c) => `${alias}.${c}`).join(', '))

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
