/**
 * What the usage queries answer (src/main/usage/usage-queries.ts) and the dashboard, the CLI and the API carry:
 * figures per period and key, the costliest conversations and workspaces, and Claude's 5-hour billing windows.
 * Pure types, so the renderer and the main side share them.
 */
import type { EpochMs, Source } from '../domain'

export type UsagePeriod = 'day' | 'week' | 'month'
export type UsageDimension = 'model' | 'source' | 'workspace' | 'device'

/** The list's filters, as the dashboard applies them. */
export interface UsageFilter {
  readonly shelf?: 'all' | 'starred' | 'archived' | 'deleted'
  readonly source?: Source | null
  readonly workspace?: string | null
  readonly model?: string | null
  readonly deviceId?: string | null
  /** On the response's time. */
  readonly since?: EpochMs | null
  readonly until?: EpochMs | null
}

export interface UsageFigures {
  readonly responses: number
  readonly tokensIn: number
  readonly tokensOut: number
  readonly cacheWrites: number
  readonly cacheWrites1h: number
  readonly cacheReads: number
  /** The priced responses' cost; unpriced responses add nothing here and one to `unpricedResponses`. */
  readonly cost: number
  readonly uncachedCost: number
  readonly unpricedResponses: number
}

/** One bucket per (period start, key); key '' when not grouped. */
export interface UsageSeries {
  readonly period: UsagePeriod
  readonly by: UsageDimension | null
  readonly utcOffsetMinutes: number
  readonly buckets: readonly {
    readonly start: EpochMs
    readonly key: string
    readonly figures: UsageFigures
  }[]
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

/** ccusage's `blocks`: Claude Code's 5-hour windows. */
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
