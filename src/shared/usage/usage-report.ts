/**
 * What the usage queries answer (src/main/usage/usage-queries.ts, usage-blocks.ts): tokens and cost per period,
 * the most expensive conversations and workspaces, and Claude Code's 5-hour billing windows. The dashboard and
 * `chronicle usage` read the same shapes. Pure types and a few helpers on them.
 */
import type { EpochMs, Source } from '../domain'

export type UsagePeriod = 'day' | 'week' | 'month'
export type UsageDimension = 'model' | 'source' | 'workspace' | 'device'

export const USAGE_PERIODS: readonly UsagePeriod[] = ['day', 'week', 'month']
export const USAGE_DIMENSIONS: readonly UsageDimension[] = ['model', 'source', 'workspace', 'device']

/** The list's filters, as the dashboard applies them. */
export interface UsageFilter {
  readonly shelf?: 'all' | 'starred' | 'archived' | 'deleted'
  readonly source?: Source | null
  readonly workspace?: string | null
  readonly model?: string | null
  readonly deviceId?: string | null
  /** On the response's time: from `since` (inclusive) to `until` (exclusive). */
  readonly since?: EpochMs | null
  readonly until?: EpochMs | null
}

export interface UsageFigures {
  readonly responses: number
  readonly tokensIn: number
  readonly tokensOut: number
  /** Cache writes of every duration; `cacheWrites1h` of them one-hour writes. */
  readonly cacheWrites: number
  readonly cacheWrites1h: number
  readonly cacheReads: number
  /** USD of the priced responses; the unpriced ones are counted in `unpricedResponses`, never as $0. */
  readonly cost: number
  /** What the priced responses would have cost with every cached token billed as plain input. */
  readonly uncachedCost: number
  readonly unpricedResponses: number
}

export interface UsageBucket {
  /** The period's start: local midnight (of the Monday, of the 1st) at the series' offset, as epoch ms. */
  readonly start: EpochMs
  /** The group's value ('' when not grouped, or when the response has no model, device or workspace). */
  readonly key: string
  readonly figures: UsageFigures
}

/** One bucket per (period start, key); key '' when not grouped. */
export interface UsageSeries {
  readonly period: UsagePeriod
  readonly by: UsageDimension | null
  readonly utcOffsetMinutes: number
  readonly buckets: readonly UsageBucket[]
  readonly totals: UsageFigures
}

export interface UsageRankings {
  readonly conversations: readonly {
    id: string
    title: string
    source: Source
    workspace: string | null
    figures: UsageFigures
  }[]
  readonly workspaces: readonly { key: string; figures: UsageFigures }[]
}

/**
 * ccusage `blocks`: Claude Code's 5-hour windows. A pause of more than 5 hours between two blocks is a gap: a block
 * with no responses (figures.responses 0, no models), from the last response plus 5 hours to the next response.
 */
export interface BillingBlock {
  readonly start: EpochMs
  readonly end: EpochMs
  readonly lastActivityAt: EpochMs
  readonly active: boolean
  readonly models: readonly string[]
  readonly figures: UsageFigures
  /** For the active block: tokens per minute and USD per hour so far, and the cost projected to its end. */
  readonly burn: { tokensPerMinute: number; costPerHour: number; projectedCost: number } | null
}

export const NO_USAGE: UsageFigures = {
  responses: 0,
  tokensIn: 0,
  tokensOut: 0,
  cacheWrites: 0,
  cacheWrites1h: 0,
  cacheReads: 0,
  cost: 0,
  uncachedCost: 0,
  unpricedResponses: 0,
}

export function addFigures(a: UsageFigures, b: UsageFigures): UsageFigures {
  return {
    responses: a.responses + b.responses,
    tokensIn: a.tokensIn + b.tokensIn,
    tokensOut: a.tokensOut + b.tokensOut,
    cacheWrites: a.cacheWrites + b.cacheWrites,
    cacheWrites1h: a.cacheWrites1h + b.cacheWrites1h,
    cacheReads: a.cacheReads + b.cacheReads,
    cost: a.cost + b.cost,
    uncachedCost: a.uncachedCost + b.uncachedCost,
    unpricedResponses: a.unpricedResponses + b.unpricedResponses,
  }
}

/** Every token kind counted once: cache writes include their one-hour part. */
export const totalTokens = (f: UsageFigures): number =>
  f.tokensIn + f.tokensOut + f.cacheWrites + f.cacheReads

/**
 * A series as the dashboard draws it: per bucket only what its chart and table show (cost, every token, the
 * responses without a price), in columns, with each period start and key written once. A two-year daily series
 * stacked by model is some 6,000 buckets: as objects with every figure it is about a megabyte of JSON on each
 * filter change, which the main side writes and the page parses; as columns, a sixth of it.
 */
export interface UsageChartSeries {
  readonly period: UsagePeriod
  readonly by: UsageDimension | null
  readonly utcOffsetMinutes: number
  /** The periods' starts, ascending, and the keys ('' when not grouped), each once. */
  readonly starts: readonly EpochMs[]
  readonly keys: readonly string[]
  /** Bucket i is period starts[period[i]] and key keys[key[i]]; its cost in USD to the millionth of a dollar. */
  readonly buckets: {
    readonly period: readonly number[]
    readonly key: readonly number[]
    readonly cost: readonly number[]
    readonly tokens: readonly number[]
    readonly unpriced: readonly number[]
  }
  readonly totals: UsageFigures
}

/** The columns of `series` (its buckets in their order). */
export function toChartSeries(series: UsageSeries): UsageChartSeries {
  const starts = [...new Set(series.buckets.map((b) => b.start))].sort((a, b) => a - b)
  const keys = [...new Set(series.buckets.map((b) => b.key))]
  const periodOf = new Map(starts.map((start, i) => [start, i]))
  const keyOf = new Map(keys.map((key, i) => [key, i]))
  const buckets = {
    period: [] as number[],
    key: [] as number[],
    cost: [] as number[],
    tokens: [] as number[],
    unpriced: [] as number[],
  }
  for (const b of series.buckets) {
    buckets.period.push(periodOf.get(b.start) ?? 0)
    buckets.key.push(keyOf.get(b.key) ?? 0)
    buckets.cost.push(Math.round(b.figures.cost * 1e6) / 1e6)
    buckets.tokens.push(totalTokens(b.figures))
    buckets.unpriced.push(b.figures.unpricedResponses)
  }
  const { period, by, utcOffsetMinutes, totals } = series
  return { period, by, utcOffsetMinutes, starts, keys, buckets, totals }
}
