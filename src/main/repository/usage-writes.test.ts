/**
 * Usage per response in a real repository: each response counted once with its final figures, whatever carries
 * it and however many reads bring it; costs from the price book or the source's log; unpriced models kept apart;
 * the hourly rollup always the sum of the responses; writing the same again changes nothing.
 */
import { describe, expect, it } from 'vitest'
import type { ModelPrice, PriceBook } from '../../shared/usage/pricing'
import type { ResponseUsage } from '../../shared/usage/response-usage'
import type { Repository } from './repository'
import { useScratch } from './test-support/scratch'
import type { ConversationInput, MessageInput } from './writes'

const scratch = useScratch()

const MTOK = 1e-6
/** Opus-like prices per token: $5 in, $25 out, $6.25 5-minute writes, $10 1-hour writes, $0.50 reads per Mtok. */
const OPUS: ModelPrice = {
  input: 5 * MTOK,
  output: 25 * MTOK,
  cacheWrite5m: 6.25 * MTOK,
  cacheWrite1h: 10 * MTOK,
  cacheRead: 0.5 * MTOK,
}
const prices: PriceBook = {
  date: '2026-12-01',
  source: 'test',
  priceFor: (model) => (model === 'opus' ? OPUS : null),
}

const HOUR = 3_600_000
const T0 = Date.UTC(2026, 10, 30, 9, 15)

const conversation: ConversationInput = {
  id: 'claude-code:s1',
  source: 'claude-code',
  sourceId: 's1',
  title: 'Streamed',
  createdAt: T0,
  cost: 0,
}

const response = (over: Partial<ResponseUsage> = {}): ResponseUsage => ({
  responseKey: 'msg_1:req_1',
  model: 'opus',
  tokensIn: 10,
  tokensOut: 100,
  cacheWrites: 2_000,
  cacheWrites1h: 500,
  cacheReads: 40_000,
  loggedCost: null,
  ...over,
})

const line = (ordinal: number, usage?: ResponseUsage, at = T0 + ordinal * 1000): MessageInput => ({
  id: `claude-code:s1#${ordinal}`,
  conversationId: conversation.id,
  ordinal,
  role: 'assistant',
  createdAt: at,
  text: `line ${ordinal}`,
  deviceId: 'device-a',
  ...(usage && { usage }),
})

async function write(repo: Repository, messages: readonly MessageInput[], conv = conversation) {
  await repo.write('import', async (w) => {
    await w.upsertConversations([conv])
    await w.upsertMessages(messages)
    await w.upsertUsage(messages)
  })
}

const usageRows = (repo: Repository) =>
  repo.db.selectFrom('usage').selectAll().orderBy(['conversation_id', 'response_key']).execute()
const rollup = (repo: Repository) => repo.db.selectFrom('usage_hourly').selectAll().orderBy('hour').execute()
const costOfConversation = (repo: Repository) =>
  repo.db
    .selectFrom('conversations')
    .select(['cost', 'unpriced'])
    .where('id', '=', conversation.id)
    .executeTakeFirstOrThrow()
const changeCount = async (repo: Repository) =>
  (
    await repo.db
      .selectFrom('changes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
  ).n

// 10 in × $5 + 100 out × $25 + 1,500 5-minute writes × $6.25 + 500 1-hour writes × $10 + 40,000 reads × $0.50, per Mtok
const FINAL_COST = (10 * 5 + 100 * 25 + 1_500 * 6.25 + 500 * 10 + 40_000 * 0.5) * MTOK

describe('usage per response', () => {
  it('counts a streamed response once, with its final output, on the line that carries it', async () => {
    const repo = scratch.open({ prices })
    // First, middle and final snapshots of one response: the same key, output growing 1 → 40 → 100.
    await write(repo, [
      line(0),
      line(1, response({ tokensOut: 1 })),
      line(2, response({ tokensOut: 40 })),
      line(3, response({ tokensOut: 100 })),
    ])
    const [row, ...rest] = await usageRows(repo)
    expect(rest).toEqual([])
    expect(row).toMatchObject({
      conversation_id: 'claude-code:s1',
      response_key: 'msg_1:req_1',
      message_id: 'claude-code:s1#3',
      at: T0 + 3000,
      model: 'opus',
      device_id: 'device-a',
      tokens_in: 10,
      tokens_out: 100,
      cache_writes: 2_000,
      cache_writes_1h: 500,
      cache_reads: 40_000,
      logged_cost: null,
    })
    expect(row?.cost).toBeCloseTo(FINAL_COST, 12)
    // Without the cache: 42,010 prompt tokens at $5 and 100 out at $25.
    expect(row?.cost_uncached).toBeCloseTo((42_010 * 5 + 100 * 25) * MTOK, 12)
    expect(await costOfConversation(repo)).toEqual({ cost: row?.cost, unpriced: 0 })
  })

  it('merges a response split over two reads (a resumed read brings only its last line)', async () => {
    const repo = scratch.open({ prices })
    await write(repo, [line(0), line(1, response({ tokensOut: 1 })), line(2, response({ tokensOut: 40 }))])
    await write(repo, [line(3, response({ tokensOut: 100 }))])
    const rows = await usageRows(repo)
    expect(rows.map((r) => [r.message_id, r.tokens_out])).toEqual([['claude-code:s1#3', 100]])
    // An older read of the first lines again never lowers the figures or moves the response back.
    await write(repo, [line(1, response({ tokensOut: 1 }))])
    expect((await usageRows(repo)).map((r) => [r.message_id, r.tokens_out])).toEqual([
      ['claude-code:s1#3', 100],
    ])
    expect((await costOfConversation(repo)).cost).toBeCloseTo(FINAL_COST, 12)
  })

  it('keeps a model the price book lacks unpriced: no cost, counted apart, never $0', async () => {
    const repo = scratch.open({ prices })
    await write(repo, [
      line(1, response()),
      line(2, response({ responseKey: 'msg_2', model: 'mystery-model' })),
    ])
    const rows = await usageRows(repo)
    expect(rows.map((r) => [r.model, r.cost === null])).toEqual([
      ['opus', false],
      ['mystery-model', true],
    ])
    const { cost, unpriced } = await costOfConversation(repo)
    expect(unpriced).toBe(1)
    expect(cost).toBeCloseTo(FINAL_COST, 12)
    const hour = await rollup(repo)
    expect(hour.find((r) => r.model === 'opus')).toMatchObject({ responses: 1, unpriced: 0 })
    expect(hour.find((r) => r.model === 'mystery-model')).toMatchObject({
      responses: 1,
      unpriced: 1,
      cost: 0,
    })
  })

  it('takes the cost the source logged over the table, and what the cache saved from the table', async () => {
    const repo = scratch.open({ prices })
    await write(repo, [line(1, response({ loggedCost: 0.5 }))])
    const [row] = await usageRows(repo)
    expect(row?.cost).toBe(0.5)
    const saved = (42_010 * 5 + 100 * 25) * MTOK - FINAL_COST
    expect(row?.cost_uncached).toBeCloseTo(0.5 + saved, 9)
  })

  it('prices every token at the long-context rate when the prompt is over 200k tokens', async () => {
    const long: ModelPrice = { ...OPUS, longContext: { ...OPUS, input: 10 * MTOK, output: 37.5 * MTOK } }
    const repo = scratch.open({ prices: { ...prices, priceFor: () => long } })
    await write(repo, [
      line(1, response({ tokensIn: 1, cacheWrites: 0, cacheWrites1h: 0, cacheReads: 200_000 })),
    ])
    const [row] = await usageRows(repo)
    // 200,001 prompt tokens: 1 in at $10, 100 out at $37.50, 200,000 reads at $0.50 per Mtok.
    expect(row?.cost).toBeCloseTo((10 + 100 * 37.5 + 200_000 * 0.5) * MTOK, 12)
  })

  it('keeps the hourly rollup the sum of the responses through inserts, moves and purges', async () => {
    const repo = scratch.open({ prices })
    await write(repo, [
      line(1, response({ responseKey: 'a' }), T0),
      line(2, response({ responseKey: 'b' }), T0 + 10 * 60_000),
      line(3, response({ responseKey: 'c' }), T0 + HOUR),
    ])
    expect((await rollup(repo)).map((r) => [r.hour, r.responses, r.tokens_out])).toEqual([
      [Math.floor(T0 / HOUR), 2, 200],
      [Math.floor(T0 / HOUR) + 1, 1, 100],
    ])
    // Response c's final line arrives two hours later: it moves to that hour, and the emptied hour is dropped.
    await write(repo, [line(4, response({ responseKey: 'c', tokensOut: 300 }), T0 + 3 * HOUR)])
    expect((await rollup(repo)).map((r) => [r.hour, r.responses, r.tokens_out])).toEqual([
      [Math.floor(T0 / HOUR), 2, 200],
      [Math.floor(T0 / HOUR) + 3, 1, 300],
    ])
    await repo.db.deleteFrom('conversations').where('id', '=', conversation.id).execute()
    expect(await usageRows(repo)).toEqual([])
    expect(await rollup(repo)).toEqual([])
  })

  it('writes nothing when the same read comes again, and the conversation keeps the sum of its responses', async () => {
    const repo = scratch.open({ prices })
    const read = [line(0), line(1, response({ tokensOut: 1 })), line(2, response({ tokensOut: 100 }))]
    await write(repo, read)
    const changes = await changeCount(repo)
    const before = await costOfConversation(repo)
    // The adapter states cost 0 for the whole conversation (Claude Code logs none): the sum stands.
    await write(repo, read)
    expect(await changeCount(repo)).toBe(changes)
    expect(await costOfConversation(repo)).toEqual(before)
    expect(before.cost).toBeGreaterThan(0)
  })

  it('lets the stated cost stand for a conversation without responses', async () => {
    const repo = scratch.open({ prices })
    await write(repo, [line(0)], { ...conversation, cost: 1.25 })
    expect(await costOfConversation(repo)).toEqual({ cost: 1.25, unpriced: 0 })
  })
})
