/**
 * Prices every stored response again after the price table changed: `usage.cost` and `cost_uncached` (a logged
 * cost stays the cost; only what caching saved moves with the table), the hourly rollup, and the cost and unpriced
 * count of each conversation with usage rows. The arithmetic is costOf's (src/shared/usage/pricing.ts) done by
 * SQLite over the whole table at once, with the same order of additions and the same rounding as the writer
 * (usage-writes.ts), so a recomputed row equals the row an import with the new table would have written.
 *
 * Set-based, in one transaction: a temporary table holds the prices of each distinct model (the price book
 * resolves names; SQL only joins), one UPDATE applies them with a CASE for the long-context tier. The rollup's
 * per-row trigger is set aside meanwhile (a million rows would each update the rollup twice) and the rollup is
 * summed again from `usage`, then the trigger is put back from its own stored SQL. Conversations are updated in
 * the same transaction under the caller's origin, so the change feed, and through the bridge the audit trail,
 * records each conversation whose cost moved.
 */
import { CompiledQuery, sql, type Transaction } from 'kysely'
import { LONG_CONTEXT_TOKENS, type PriceBook, type TokenPrices } from '../../shared/usage/pricing'
import type { Database } from '../repository/database-schema'
import type { Repository } from '../repository/repository'
import type { WriteOrigin } from '../repository/writes'

export interface RecomputeResult {
  /** Responses whose cost or uncached cost changed. */
  readonly responses: number
  /** Conversations whose cost or unpriced count changed. */
  readonly conversations: number
  readonly ms: number
}

const PRICES = 'temp.recompute_prices'
const TIER = [
  'input',
  'output',
  'cacheWrite5m',
  'cacheWrite1h',
  'cacheRead',
] as const satisfies readonly (keyof TokenPrices)[]
const ROLLUP_TRIGGER = 'usage_rollup_update'

/** The price column of `key` for this row: the long-context one when the prompt is over the threshold. */
const tier = (key: (typeof TIER)[number]) => `CASE WHEN long_tier THEN p.long_${key} ELSE p.${key} END`

/** The writer's rounding (usage-writes.ts roundCost: Math.round(usd * 1e9) / 1e9) for the costs, which are ≥ 0. */
const round = (usd: string) => `(CAST((${usd}) * 1e9 + 0.5 AS INTEGER) / 1e9)`

const PROMPT = 'u.tokens_in + u.cache_writes + u.cache_reads'
// costOf's terms, in its order: floating-point sums depend on it.
const COMPUTED = [
  `u.tokens_in * ${tier('input')}`,
  `u.tokens_out * ${tier('output')}`,
  `max(0, u.cache_writes - u.cache_writes_1h) * ${tier('cacheWrite5m')}`,
  `min(u.cache_writes_1h, u.cache_writes) * ${tier('cacheWrite1h')}`,
  `u.cache_reads * ${tier('cacheRead')}`,
].join(' + ')
const UNCACHED = `(${PROMPT}) * ${tier('input')} + u.tokens_out * ${tier('output')}`

const longTier = `((${PROMPT}) > ${LONG_CONTEXT_TOKENS} AND p.long_input IS NOT NULL)`
const withTier = (expression: string) => expression.replaceAll('long_tier', longTier)

const NEW_COST = withTier(`CASE
  WHEN u.logged_cost IS NOT NULL THEN ${round('u.logged_cost')}
  WHEN p.priced THEN ${round(COMPUTED)}
  END`)
const NEW_UNCACHED = withTier(`CASE
  WHEN u.logged_cost IS NOT NULL THEN ${round(`u.logged_cost + CASE WHEN p.priced THEN (${UNCACHED}) - (${COMPUTED}) ELSE 0 END`)}
  WHEN p.priced THEN ${round(UNCACHED)}
  END`)

const UPDATE_USAGE = `UPDATE usage AS u SET cost = ${NEW_COST}, cost_uncached = ${NEW_UNCACHED}
  FROM ${PRICES} AS p WHERE p.model = u.model
  AND (u.cost IS NOT ${NEW_COST} OR u.cost_uncached IS NOT ${NEW_UNCACHED})`

const COUNTS = ['tokens_in', 'tokens_out', 'cache_writes', 'cache_writes_1h', 'cache_reads']
const REBUILD_ROLLUP = `INSERT INTO usage_hourly (hour, conversation_id, model, device_id, responses,
    ${COUNTS.join(', ')}, cost, cost_uncached, unpriced)
  SELECT at / 3600000, conversation_id, model, device_id, count(*), ${COUNTS.map((c) => `sum(${c})`).join(', ')},
    sum(coalesce(cost, 0)), sum(coalesce(cost_uncached, 0)), sum(cost IS NULL)
  FROM usage GROUP BY conversation_id, at / 3600000, model, device_id`
// (Grouped by conversation first: measured a third faster than in the rollup's key order at a million rows.)

// As refreshConversationCosts (usage-writes.ts) sums them, for every conversation with usage rows at once.
const UPDATE_CONVERSATIONS = `UPDATE conversations SET cost = t.cost, unpriced = t.unpriced
  FROM (SELECT conversation_id, round(coalesce(sum(cost), 0), 9) AS cost, sum(cost IS NULL) AS unpriced
        FROM usage GROUP BY conversation_id) AS t
  WHERE conversations.id = t.conversation_id
  AND (conversations.cost IS NOT t.cost OR conversations.unpriced IS NOT t.unpriced)`

const run = async (trx: Transaction<Database>, text: string, parameters: readonly unknown[] = []) =>
  Number((await trx.executeQuery(CompiledQuery.raw(text, [...parameters]))).numAffectedRows ?? 0)

/** One row per distinct model of `usage`, with its prices or none (then its responses are unpriced). */
async function fillPrices(trx: Transaction<Database>, prices: PriceBook): Promise<void> {
  const columns = [...TIER, ...TIER.map((k) => `long_${k}`)]
  await run(trx, `DROP TABLE IF EXISTS ${PRICES}`)
  await run(
    trx,
    `CREATE TABLE ${PRICES} (model TEXT PRIMARY KEY, priced INTEGER NOT NULL, ${columns.join(', ')})`,
  )
  const models = await sql<{ model: string }>`SELECT DISTINCT model FROM usage`.execute(trx)
  const insert = `INSERT INTO ${PRICES} VALUES (${['?', '?', ...columns.map(() => '?')].join(', ')})`
  for (const { model } of models.rows) {
    const price = prices.priceFor(model === '' ? null : model)
    const long = price?.longContext
    await run(trx, insert, [
      model,
      price ? 1 : 0,
      ...TIER.map((k) => price?.[k] ?? null),
      ...TIER.map((k) => long?.[k] ?? null),
    ])
  }
}

/**
 * Recomputes every response's cost with `prices`, which becomes the repository's price book for the writes that
 * follow (kept as it was if the recompute fails).
 */
export async function recomputeCosts(
  repository: Repository,
  prices: PriceBook,
  origin: WriteOrigin = 'cli',
): Promise<RecomputeResult> {
  const started = performance.now()
  const before = repository.prices
  try {
    return await repository.write(origin, async (_writer, trx) => {
      repository.prices = prices
      await fillPrices(trx, prices)
      const trigger = await sql<{ sql: string }>`SELECT sql FROM sqlite_master
        WHERE type = 'trigger' AND name = ${ROLLUP_TRIGGER}`.execute(trx)
      const triggerSql = trigger.rows[0]?.sql
      if (triggerSql) await run(trx, `DROP TRIGGER ${ROLLUP_TRIGGER}`)
      const responses = await run(trx, UPDATE_USAGE)
      if (responses > 0 || !triggerSql) {
        await run(trx, 'DELETE FROM usage_hourly')
        await run(trx, REBUILD_ROLLUP)
      }
      if (triggerSql) await run(trx, triggerSql)
      await run(trx, `DROP TABLE ${PRICES}`)
      const conversations = await run(trx, UPDATE_CONVERSATIONS)
      return { responses, conversations, ms: Math.round(performance.now() - started) }
    })
  } catch (error) {
    repository.prices = before
    throw error
  }
}
