/**
 * Usage crosses devices with the messages: the events the bridge makes from an import carry each response's
 * counts and logged cost (never a computed cost), and the device that applies them writes the response once,
 * priced with its own price table, so its dashboard and its conversation costs count what another device imported.
 */
import { describe, expect, it } from 'vitest'
import type { ModelPrice, PriceBook } from '../../shared/usage/pricing'
import type { ResponseUsage } from '../../shared/usage/response-usage'
import { useScratch } from '../repository/test-support/scratch'
import type { MessageInput } from '../repository/writes'
import { applyEvents } from './apply-events'
import { readChangeBatch } from './change-batch'
import type { ConfirmedEvent } from './confirmed-events'
import { eventsFromChanges } from './events-from-changes'

const scratch = useScratch()

const PRICE: ModelPrice = { input: 1e-6, output: 2e-6, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 }
const prices: PriceBook = {
  date: '2026-12-01',
  source: 'test',
  priceFor: (m) => (m === 'opus' ? PRICE : null),
}

const usage = (over: Partial<ResponseUsage>): ResponseUsage => ({
  responseKey: 'r1',
  model: 'opus',
  tokensIn: 1_000,
  tokensOut: 500,
  cacheWrites: 0,
  cacheWrites1h: 0,
  cacheReads: 0,
  loggedCost: null,
  ...over,
})

const line = (ordinal: number, carried?: ResponseUsage): MessageInput => ({
  id: `claude-code:s#${ordinal}`,
  conversationId: 'claude-code:s',
  ordinal,
  role: 'assistant',
  createdAt: 1_700_000_000_000 + ordinal,
  text: `line ${ordinal}`,
  ...(carried && { usage: carried }),
})

/** Device A imports, its bridge makes events; they come back confirmed as the hub would hand them to B. */
async function importedOnA(messages: readonly MessageInput[]): Promise<ConfirmedEvent[]> {
  const a = scratch.open({ prices })
  await a.write('import', async (w) => {
    await w.upsertConversations([
      {
        id: 'claude-code:s',
        source: 'claude-code',
        sourceId: 's',
        title: 'On A',
        createdAt: 1_700_000_000_000,
      },
    ])
    await w.upsertMessages(messages)
    await w.upsertUsage(messages)
  })
  const batch = await readChangeBatch(a.db, 0, 10_000)
  if (!batch) throw new Error('the import made no changes')
  const made = await eventsFromChanges(a.db, batch, 'device-a', () => 5_000)
  return made.map((e, i) => ({ seqNum: i + 1, name: e.name, args: e.args }) as ConfirmedEvent)
}

describe('usage between devices', () => {
  it('carries counts and the logged cost in message events, on the message that holds the final figures', async () => {
    const events = await importedOnA([
      line(0),
      line(1, usage({ tokensOut: 3 })),
      line(2, usage({ tokensOut: 500 })),
      line(3, usage({ responseKey: 'r2', model: null, loggedCost: 0.25 })),
    ])
    const appended = events.find((e) => e.name === 'v1.MessagesAppended')?.args as {
      messages: { id: string; usage?: unknown }[]
    }
    expect(appended.messages.map((m) => [m.id, m.usage ?? null])).toEqual([
      ['claude-code:s#0', null],
      ['claude-code:s#1', null],
      ['claude-code:s#2', { ...usage({ tokensOut: 500 }) }],
      ['claude-code:s#3', { ...usage({ responseKey: 'r2', model: null, loggedCost: 0.25 }) }],
    ])
  })

  it("writes another device's responses once, priced with this device's table, and their conversation's cost", async () => {
    const events = await importedOnA([line(1, usage({ tokensOut: 3 })), line(2, usage({ tokensOut: 500 }))])
    const b = scratch.open({ prices })
    const apply = () =>
      b.write('bridge', (_w, trx) =>
        applyEvents(trx, events, { deviceId: 'device-b', bridgedSeq: 0, prices }),
      )
    await apply()
    const rows = await b.db.selectFrom('usage').selectAll().execute()
    expect(rows).toMatchObject([
      {
        conversation_id: 'claude-code:s',
        response_key: 'r1',
        message_id: 'claude-code:s#2',
        tokens_in: 1_000,
        tokens_out: 500,
      },
    ])
    // 1,000 in at $1 and 500 out at $2 per Mtok.
    expect(rows[0]?.cost).toBeCloseTo(0.002, 12)
    const conversation = await b.db
      .selectFrom('conversations')
      .select(['cost', 'unpriced'])
      .executeTakeFirstOrThrow()
    expect(conversation.cost).toBeCloseTo(0.002, 12)
    // The same events again (a replay after a crash before the cursor moved) count nothing twice.
    await apply()
    expect(await b.db.selectFrom('usage').select('response_key').execute()).toHaveLength(1)
  })

  it('refuses usage with a negative or non-finite count at the event schema (bad input from a device)', async () => {
    const { MessageRow } = await import('../../shared/livestore/events')
    const { Schema } = await import('@livestore/livestore')
    const decode = Schema.decodeUnknownEither(MessageRow)
    const row = { id: 'm', ordinal: 0, role: 'assistant', kind: 'text', createdAt: null, preview: '' }
    expect(decode({ ...row, usage: usage({}) })._tag).toBe('Right')
    expect(decode({ ...row, usage: usage({ tokensOut: -1 }) })._tag).toBe('Left')
    expect(decode({ ...row, usage: { ...usage({}), tokensIn: Number.POSITIVE_INFINITY } })._tag).toBe('Left')
    expect(decode({ ...row, usage: { ...usage({}), tokensIn: '12' } })._tag).toBe('Left')
  })
})
