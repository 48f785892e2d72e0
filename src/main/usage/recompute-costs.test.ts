/**
 * A price change in a real repository: every response priced again exactly as an import with the new table would
 * have priced it (hand-computed for one), logged costs kept, unknown models unpriced, the hourly rollup and the
 * conversations' costs brought along in the change feed, and the rollup's trigger still at work afterwards.
 */
import { describe, expect, it } from 'vitest'
import type { PriceBook } from '../../shared/usage/pricing'
import type { ResponseUsage } from '../../shared/usage/response-usage'
import type { Repository } from '../repository/repository'
import { useScratch } from '../repository/test-support/scratch'
import { NO_PRICES } from '../repository/usage-writes'
import type { ConversationInput, MessageInput } from '../repository/writes'
import { loadBundledPriceBook, parsePriceFile } from './price-book'
import { recomputeCosts } from './recompute-costs'

const scratch = useScratch()
const T0 = Date.UTC(2026, 10, 30, 9, 15)

const conversationOf = (id: string): ConversationInput => ({
  id,
  source: 'claude-code',
  sourceId: id,
  title: id,
  createdAt: T0,
  cost: 0,
})

const usage = (responseKey: string, over: Partial<ResponseUsage>): ResponseUsage => ({
  responseKey,
  model: 'claude-opus-4-6',
  tokensIn: 1_000,
  tokensOut: 2_000,
  cacheWrites: 4_000,
  cacheWrites1h: 1_000,
  cacheReads: 50_000,
  loggedCost: null,
  ...over,
})

/** Conversation a: opus 4.6 (hand-computed), a long-context sonnet 4.5, a model no table knows; b: a logged cost. */
const LIBRARY: readonly [string, ResponseUsage][] = [
  ['a', usage('r1', {})],
  [
    'a',
    usage('r2', {
      model: 'claude-sonnet-4-5-20250929',
      cacheWrites: 10_000,
      cacheWrites1h: 4_000,
      cacheReads: 190_000,
      tokensOut: 1_000,
    }),
  ],
  ['a', usage('r3', { model: 'claude-from-the-future-9' })],
  ['b', usage('r4', { model: 'anthropic/claude-sonnet-4.5', loggedCost: 0.42, cacheWrites1h: 0 })],
  ['b', usage('r5', { model: null })],
]

async function importLibrary(repo: Repository) {
  const messages: MessageInput[] = LIBRARY.map(([conversation, u], i) => ({
    id: `${conversation}#${i}`,
    conversationId: conversation,
    ordinal: i,
    role: 'assistant',
    createdAt: T0 + i * 3_600_000,
    text: `response ${i}`,
    deviceId: 'device-a',
    usage: u,
  }))
  await repo.write('import', async (w) => {
    await w.upsertConversations([conversationOf('a'), conversationOf('b')])
    await w.upsertMessages(messages)
    await w.upsertUsage(messages)
  })
}

const rows = (repo: Repository) =>
  repo.db
    .selectFrom('usage')
    .select(['conversation_id', 'response_key', 'cost', 'cost_uncached'])
    .orderBy(['conversation_id', 'response_key'])
    .execute()
const rollup = (repo: Repository) =>
  repo.db
    .selectFrom('usage_hourly')
    .selectAll()
    .orderBy('hour')
    .orderBy('conversation_id')
    .orderBy('model')
    .execute()
const conversations = (repo: Repository) =>
  repo.db.selectFrom('conversations').select(['id', 'cost', 'unpriced']).orderBy('id').execute()
const costById = async (repo: Repository) =>
  new Map((await rows(repo)).map((r) => [`${r.conversation_id}/${r.response_key}`, r.cost]))

describe('recomputeCosts', () => {
  it('prices every response as an import with the new table would have, in the rollup and conversations too', async () => {
    const bundled = loadBundledPriceBook()
    const recomputed = scratch.open({ prices: NO_PRICES })
    await importLibrary(recomputed)
    const imported = scratch.open({ prices: bundled })
    await importLibrary(imported)

    const result = await recomputeCosts(recomputed, bundled)

    // r1, r2 and r4 change (r4's uncached cost gains what the cache saved); r3 and r5 stay unpriced, so b's
    // cost (logged) and unpriced count stay as they were.
    expect(result).toMatchObject({ responses: 3, conversations: 1 })
    expect(recomputed.prices).toBe(bundled)
    expect(await rows(recomputed)).toEqual(await rows(imported))
    expect(await conversations(recomputed)).toEqual(await conversations(imported))
    const rollupOf = async (repo: Repository) =>
      (await rollup(repo)).map((r) => ({
        ...r,
        cost: Math.round(r.cost * 1e9),
        cost_uncached: Math.round(r.cost_uncached * 1e9),
      }))
    expect(await rollupOf(recomputed)).toEqual(await rollupOf(imported))

    const cost = await costById(recomputed)
    // $5 × 1,000 + $25 × 2,000 + $6.25 × 3,000 + $10 × 1,000 + $0.50 × 50,000, per Mtok.
    expect(cost.get('a/r1')).toBe(0.10875)
    // 201,000 prompt tokens: every token at the long-context prices ($6, $22.50, $7.50, $12, $0.60).
    expect(cost.get('a/r2')).toBe(0.2355)
    expect(cost.get('a/r3')).toBeNull()
    expect(cost.get('b/r4')).toBe(0.42)
    expect(cost.get('b/r5')).toBeNull()
    expect(await conversations(recomputed)).toEqual([
      { id: 'a', cost: 0.34425, unpriced: 1 },
      { id: 'b', cost: 0.42, unpriced: 1 },
    ])
  })

  it('records the conversations whose cost moved in the change feed, under the origin given', async () => {
    const repo = scratch.open({ prices: NO_PRICES })
    await importLibrary(repo)
    const before = await repo.db.selectFrom('changes').select('seq').orderBy('seq', 'desc').executeTakeFirst()
    await recomputeCosts(repo, loadBundledPriceBook(), 'ui')
    const changes = await repo.db
      .selectFrom('changes')
      .select(['entity', 'entity_id', 'op', 'origin', 'data'])
      .where('seq', '>', before?.seq ?? 0)
      .orderBy('seq')
      .execute()
    expect(changes.map((c) => [c.entity, c.entity_id, c.op, c.origin])).toEqual([
      ['conversation', 'a', 'update', 'ui'],
    ])
    expect(changes[0]?.data).toContain('cost')
  })

  it('changes nothing when the prices are the same, and moves costs back when they go back', async () => {
    const repo = scratch.open({ prices: NO_PRICES })
    await importLibrary(repo)
    const bundled = loadBundledPriceBook()
    await recomputeCosts(repo, bundled)
    expect(await recomputeCosts(repo, bundled)).toMatchObject({ responses: 0, conversations: 0 })

    // A user file where opus 4.6 costs twice as much and nothing else is known.
    const doubled = parsePriceFile(
      JSON.stringify({
        'claude-opus-4-6': {
          input_cost_per_token: 1e-5,
          output_cost_per_token: 5e-5,
          cache_creation_input_token_cost: 1.25e-5,
          cache_creation_input_token_cost_above_1hr: 2e-5,
          cache_read_input_token_cost: 1e-6,
        },
      }),
      { source: 'doubled.json', date: '2026-12-03' },
    )
    if (!doubled.ok) throw new Error(doubled.error.message)
    // r1 doubles, r2 becomes unpriced, r4 keeps its logged cost but no longer saves anything by caching.
    expect(await recomputeCosts(repo, doubled.value)).toMatchObject({ responses: 3, conversations: 1 })
    const cost = await costById(repo)
    expect(cost.get('a/r1')).toBe(0.2175)
    expect(cost.get('a/r2')).toBeNull()
    expect(cost.get('b/r4')).toBe(0.42)
    expect(await conversations(repo)).toEqual([
      { id: 'a', cost: 0.2175, unpriced: 2 },
      { id: 'b', cost: 0.42, unpriced: 1 },
    ])
  })

  it('leaves the rollup trigger in place: a response written afterwards still moves the rollup', async () => {
    const repo = scratch.open({ prices: NO_PRICES })
    await importLibrary(repo)
    const unpriced: PriceBook = { date: '', source: 'none', priceFor: () => null }
    await recomputeCosts(repo, loadBundledPriceBook())
    await recomputeCosts(repo, unpriced)
    const triggers = await repo.db
      .selectFrom('sqlite_master' as never)
      .select('name' as never)
      .where('type' as never, '=', 'trigger' as never)
      .where('name' as never, 'like', 'usage_rollup_%' as never)
      .execute()
    expect(triggers).toHaveLength(3)
    // r1 again with more output: the update trigger takes the old figures out of the rollup and the new ones in.
    const message: MessageInput = {
      id: 'a#0',
      conversationId: 'a',
      ordinal: 0,
      role: 'assistant',
      createdAt: T0,
      text: 'response 0',
      deviceId: 'device-a',
      usage: usage('r1', { tokensOut: 3_000 }),
    }
    await repo.write('import', (w) => w.upsertUsage([message]))
    const first = (await rollup(repo))[0]
    expect(first).toMatchObject({ conversation_id: 'a', responses: 1, tokens_out: 3_000, unpriced: 1 })
  })
})
