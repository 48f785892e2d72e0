/**
 * Claude's 5-hour billing windows, cut as ccusage's `blocks` cuts them, so its users see the same windows: a block
 * starts at its first response's UTC hour and lasts 5 hours; a response after the block's end, or more than 5 hours
 * after the one before it, starts the next block. A pause longer than 5 hours is a gap: a block of its own with no
 * responses, from the last response plus 5 hours to the next response. Claude Code's responses only (the windows
 * are its subscription's), read per response from `usage`: the hourly rollup is too coarse to place an edge.
 */
import { sql, type Kysely } from 'kysely'
import { addFigures, NO_USAGE, type BillingBlock, type UsageFilter } from '../../shared/usage/usage-report'
import type { Database } from '../repository/database-schema'
import { filterConditions, HOUR_MS } from './usage-filter'

export const BLOCK_MS = 5 * HOUR_MS

export interface BillingBlocksQuery {
  readonly filter: UsageFilter
  /** The clock that decides which block is active. */
  readonly now: number
}

/**
 * The responses of one hour, (slot, slot + 1 h] (at − 1 ms floored): a block's start and end are whole UTC hours, so
 * no block edge falls inside a slot, and a slot spans less than the 5-hour pause that makes a gap. Cutting the
 * slots into blocks gives the blocks the responses would, from a few thousand rows instead of every response
 * (reading 170,000 responses into JavaScript took seconds).
 */
interface SlotRow {
  readonly first: number
  readonly last: number
  readonly models: string | null
  readonly responses: number
  readonly tokens_in: number
  readonly tokens_out: number
  readonly cache_writes: number
  readonly cache_writes_1h: number
  readonly cache_reads: number
  readonly cost: number | null
  readonly cost_uncached: number | null
  readonly unpriced: number
}

interface OpenBlock {
  readonly start: number
  readonly first: number
  last: number
  readonly models: Set<string>
  figures: BillingBlock['figures']
}

/** Claude Code's responses under the filter, summed per slot (exported for the test of its query plan). */
export const slotsQuery = (filter: UsageFilter) =>
  sql<SlotRow>`SELECT (u.at - 1) / 3600000 AS slot, min(u.at) AS first, max(u.at) AS last,
      group_concat(DISTINCT u.model) AS models, count(*) AS responses, sum(u.tokens_in) AS tokens_in,
      sum(u.tokens_out) AS tokens_out, sum(u.cache_writes) AS cache_writes, sum(u.cache_writes_1h) AS cache_writes_1h,
      sum(u.cache_reads) AS cache_reads, sum(u.cost) AS cost, sum(u.cost_uncached) AS cost_uncached,
      sum(u.cost IS NULL) AS unpriced
    FROM usage u
    WHERE ${filterConditions({ ...filter, source: 'claude-code' }, 'u')}
    GROUP BY slot ORDER BY slot`

export async function billingBlocks(
  db: Kysely<Database>,
  query: BillingBlocksQuery,
): Promise<readonly BillingBlock[]> {
  if (query.filter.source != null && query.filter.source !== 'claude-code') return []
  const { rows } = await slotsQuery(query.filter).execute(db)
  const blocks: BillingBlock[] = []
  let open: OpenBlock | null = null
  for (const row of rows) {
    if (open && (row.first - open.start > BLOCK_MS || row.first - open.last > BLOCK_MS)) {
      blocks.push(closed(open, query.now))
      if (row.first - open.last > BLOCK_MS) blocks.push(gap(open.last + BLOCK_MS, row.first))
      open = null
    }
    open ??= {
      start: row.first - (row.first % HOUR_MS),
      first: row.first,
      last: row.first,
      models: new Set(),
      figures: NO_USAGE,
    }
    open.last = row.last
    for (const model of row.models?.split(',') ?? []) if (model !== '') open.models.add(model)
    open.figures = addFigures(open.figures, {
      responses: row.responses,
      tokensIn: row.tokens_in,
      tokensOut: row.tokens_out,
      cacheWrites: row.cache_writes,
      cacheWrites1h: row.cache_writes_1h,
      cacheReads: row.cache_reads,
      cost: row.cost ?? 0,
      uncachedCost: row.cost_uncached ?? 0,
      unpricedResponses: row.unpriced,
    })
  }
  if (open) blocks.push(closed(open, query.now))
  return blocks
}

function closed(block: OpenBlock, now: number): BillingBlock {
  const end = block.start + BLOCK_MS
  const active = now - block.last < BLOCK_MS && now < end
  return {
    start: block.start,
    end,
    lastActivityAt: block.last,
    active,
    models: [...block.models].sort(),
    figures: block.figures,
    burn: active ? burnRate(block, end, now) : null,
  }
}

/**
 * ccusage's burn rate: the block's tokens (every kind) and cost over the minutes from its first response to its
 * last, and the cost at that rate until the block ends. None yet while the block has one instant of activity.
 */
function burnRate(block: OpenBlock, end: number, now: number): BillingBlock['burn'] {
  const minutes = (block.last - block.first) / 60_000
  if (minutes <= 0) return null
  const f = block.figures
  const costPerHour = (f.cost / minutes) * 60
  const remainingMinutes = Math.max(0, (end - now) / 60_000)
  return {
    tokensPerMinute: (f.tokensIn + f.tokensOut + f.cacheWrites + f.cacheReads) / minutes,
    costPerHour,
    projectedCost: f.cost + (costPerHour / 60) * remainingMinutes,
  }
}

/** A pause: no responses, no models, never active. */
const gap = (start: number, end: number): BillingBlock => ({
  start,
  end,
  lastActivityAt: start,
  active: false,
  models: [],
  figures: NO_USAGE,
  burn: null,
})
