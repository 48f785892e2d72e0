/**
 * Per-request usage of Roo and Cline tasks: every say:"api_req_started" row's figures go to the assistant message
 * that answers it (or to a line of its own when none does), on the real Roo sample (../shared/samples/roo-code, figures read off its rows with python3) and on tasks
 * written by the tests.
 */
import { describe, expect, it } from 'vitest'
import type { MessageInput } from '../../../repository/writes'
import { useScratch } from '../../../repository/test-support/scratch'
import { responsesOf, summed, totalsOf } from '../test-usage'
import { clineAdapter, rooCodeAdapter } from './index'
import { copySampleTask, MAIN_TASK, readOnly, writeTask } from './test-folders'
import { apiRequest, at, condensedTaskRows, environment, say, twiceCondensedItems } from './test-task-rows'

const scratch = useScratch()
/** The messages that carry a request's figures: its response's first assistant message, or its own line. */
const requestsOf = (messages: readonly MessageInput[]) =>
  messages.filter((m) => m.usage !== undefined && m.kind !== 'summary')
const requestLines = (messages: readonly MessageInput[]) =>
  messages.filter((m) => m.kind === 'event' && m.metadata?.say === 'api_req_started')

describe('Roo: the main sample task (bc93a6f7, 146 UI rows, 30 of them api_req_started)', () => {
  it('gives each request row’s figures to the assistant message that answers it', async () => {
    const dir = copySampleTask(scratch.dir(), MAIN_TASK, [
      'ui_messages.json',
      'api_conversation_history.json',
    ])
    const c = await readOnly(rooCodeAdapter, dir)
    const requests = requestsOf(c.messages)
    expect(requests).toHaveLength(30)
    // Every request of the sample was answered: none is a line of its own.
    expect(requestLines(c.messages)).toEqual([])
    expect(requests.every((m) => m.role === 'assistant')).toBe(true)
    // Row 4 (0-based), ts 1758115714707: {tokensIn 10, tokensOut 768, cacheWrites 37677, cacheReads 0,
    // cost 0.14134875, apiProtocol anthropic}; its request names <model>claude-sonnet-4-20250514</model>.
    // The row after it is the answer.
    const answer = c.messages.find((m) => m.usage?.responseKey === 'ui-1758115714707')
    expect(answer?.createdAt).toBeGreaterThan(1758115714707)
    expect(answer).toMatchObject({
      role: 'assistant',
      usage: {
        responseKey: 'ui-1758115714707',
        model: 'claude-sonnet-4-20250514',
        tokensIn: 10,
        tokensOut: 768,
        cacheWrites: 37677,
        cacheWrites1h: 0,
        cacheReads: 0,
        loggedCost: 0.14134875,
      },
    })
    // Row 141, the last request: in 9, out 1289, writes 835, reads 71104, cost 0.024849449999999995.
    expect(requests.at(-1)).toMatchObject({
      usage: { responseKey: 'ui-1758149079520', tokensIn: 9, tokensOut: 1289, cacheReads: 71104 },
    })
    // Sums over the 30 rows: in 15 × 10 + 15 × 9 = 285; out 16461; writes 689253; reads 1039280.
    const responses = responsesOf(c.messages)
    expect(responses.size).toBe(30)
    expect(summed(responses)).toEqual([285, 16461, 689253, 1039280])
    expect(totalsOf(c)).toEqual([285, 16461, 689253, 1039280])
  })

  it('per-request costs sum to the task total that Roo logs', async () => {
    const dir = copySampleTask(scratch.dir(), MAIN_TASK, ['ui_messages.json'])
    const c = await readOnly(rooCodeAdapter, dir)
    const costs = [...responsesOf(c.messages).values()].map((r) => r.loggedCost ?? NaN)
    // The sample has no HistoryItem (totalCost), but Roo writes the task's running cost into each request's
    // environment details: "# Current Cost $2.61" in the 29th request (row 137), after 28 requests costing
    // 0.14134875 + 0.14427 + … + 0.025786649999999998 = 2.6083 in all. The 30 rows sum to 2.90000775.
    expect(costs.slice(0, 28).reduce((a, b) => a + b, 0)).toBeCloseTo(2.6083, 4)
    expect(costs.reduce((a, b) => a + b, 0)).toBeCloseTo(2.90000775, 9)
    expect(c.conversation.cost).toBeCloseTo(2.90000775, 9)
  })
})

describe('Roo and Cline request rows', () => {
  it('counts a condensation’s cost, as Roo’s totalCost does (6 requests × $0.01 + $0.02 + $0.03)', async () => {
    const dir = writeTask(scratch.dir(), 'condensed', {
      'ui_messages.json': condensedTaskRows,
      'api_conversation_history.json': twiceCondensedItems,
    })
    const c = await readOnly(rooCodeAdapter, dir)
    const summaries = c.messages.filter((m) => m.kind === 'summary')
    expect(summaries.map((m) => m.usage)).toEqual([
      expect.objectContaining({ responseKey: `ui-${at(2300)}`, tokensIn: 0, loggedCost: 0.02 }),
      expect.objectContaining({ responseKey: `ui-${at(3200)}`, tokensIn: 0, loggedCost: 0.03 }),
    ])
    const costs = [...responsesOf(c.messages).values()].map((r) => r.loggedCost ?? 0)
    expect(costs.reduce((a, b) => a + b, 0)).toBeCloseTo(0.11, 10)
    expect(c.conversation.cost).toBeCloseTo(0.11, 10)
    // Each request's model is the one its environment details name; the condensations name none: the task's.
    expect(new Set([...responsesOf(c.messages).values()].map((r) => r.model))).toEqual(
      new Set(['claude-sonnet-4']),
    )
  })

  it('a request still in flight waits for the next read, which gives its figures to the answer; one never answered is a line', async () => {
    const ts = at(1100)
    const inFlight = say(ts, 'api_req_started', JSON.stringify({ request: `<task>\nHi\n</task>` }))
    const prompt = say(at(1000), 'text', 'Hi')
    const first = await readOnly(
      rooCodeAdapter,
      writeTask(scratch.dir(), 'flight', { 'ui_messages.json': [prompt, inFlight] }),
    )
    // Written now, its line would stay behind as a message gone from its source once the answer arrives.
    expect(first.messages).toHaveLength(1)
    const ended = apiRequest(ts, `<task>\nHi\n</task>`, 12)
    const answer = say(at(1200), 'text', 'Hello')
    const again = await readOnly(
      rooCodeAdapter,
      writeTask(scratch.dir(), 'flight', { 'ui_messages.json': [prompt, ended, answer] }),
    )
    expect(again.messages.map((m) => m.ordinal)).toEqual([0, 1])
    expect(again.messages[1]).toMatchObject({
      id: `roo:flight#ui-${at(1200)}`,
      role: 'assistant',
      usage: { responseKey: `ui-${ts}`, tokensIn: 12, tokensOut: 5, loggedCost: 0.01 },
    })
    // Ended with no answer (an error, a cancellation): its own line keeps its cost.
    const unanswered = await readOnly(
      rooCodeAdapter,
      writeTask(scratch.dir(), 'flight', { 'ui_messages.json': [prompt, ended] }),
    )
    expect(requestLines(unanswered.messages)).toEqual([
      expect.objectContaining({ id: `roo:flight#ui-${ts}-request`, ordinal: 1, text: 'API request' }),
    ])
    expect(unanswered.conversation.cost).toBe(0.01)
  })

  it('takes the uncached input out of a whole-prompt tokensIn (Roo 3.29.5+, and the OpenAI protocol)', async () => {
    const row = (n: number, figures: Record<string, unknown>) =>
      say(at(n), 'api_req_started', JSON.stringify({ request: environment('/w'), ...figures }))
    const rows = [
      say(at(1000), 'text', 'Go'),
      // 50000 ≥ 1000 + 40000 cached: the whole prompt; uncached 9000.
      row(1100, {
        apiProtocol: 'anthropic',
        tokensIn: 50000,
        cacheWrites: 1000,
        cacheReads: 40000,
        tokensOut: 7,
      }),
      // 10 < 37677 cached: the uncached input alone (the sample's rows, before 3.29.5).
      row(1200, { apiProtocol: 'anthropic', tokensIn: 10, cacheWrites: 37677, cacheReads: 0, tokensOut: 7 }),
      // OpenAI protocol: always the whole prompt; 800 − 600 read = 200.
      row(1300, { apiProtocol: 'openai', tokensIn: 800, cacheWrites: 0, cacheReads: 600, tokensOut: 7 }),
    ]
    const c = await readOnly(rooCodeAdapter, writeTask(scratch.dir(), 'whole', { 'ui_messages.json': rows }))
    expect(requestsOf(c.messages).map((m) => m.usage?.tokensIn)).toEqual([9000, 10, 200])
    expect(c.conversation.tokensIn).toBe(9210)
  })

  it('bad input: strings, negative and infinite figures count 0 and a cost that is not one is null', async () => {
    // 314159265 is replaced by 1e999 in the file, which parses to Infinity.
    const figures = {
      request: 'x',
      tokensIn: '10',
      tokensOut: -5,
      cacheWrites: 314159265,
      cacheReads: null,
      cost: '0.1',
    }
    const rows = [
      say(at(1000), 'text', 'Go'),
      say(at(1100), 'api_req_started', JSON.stringify(figures)),
      say(at(1200), 'api_req_started', JSON.stringify({ request: 'y', tokensIn: 3, cost: -1 })),
      say(at(1300), 'api_req_started', '{"request": "cut off while strea'),
    ]
    const text = JSON.stringify(rows).replace('314159265', '1e999')
    const c = await readOnly(rooCodeAdapter, writeTask(scratch.dir(), 'bad', { 'ui_messages.json': text }))
    const usage = requestsOf(c.messages).map((m) => m.usage)
    expect(usage).toEqual([
      expect.objectContaining({ tokensIn: 0, tokensOut: 0, cacheWrites: 0, cacheReads: 0, loggedCost: null }),
      expect.objectContaining({ tokensIn: 3, loggedCost: null }),
    ])
    expect(totalsOf(c)).toEqual([3, 0, 0, 0])
  })

  it('an early Cline task’s api_req_finished row completes the request before it (combineApiRequests)', async () => {
    // Bad input for a reader of today's format: the figures are in the finished row, the started row has none;
    // the second finished row has no request left to complete.
    const finished = (n: number, figures: Record<string, unknown>) =>
      say(at(n), 'api_req_finished', JSON.stringify(figures))
    const rows = [
      say(at(1000), 'task', 'Go'),
      say(at(1100), 'api_req_started', JSON.stringify({ request: 'go' })),
      say(at(1200), 'text', 'Done.'),
      finished(1300, { tokensIn: 12, tokensOut: 34, cacheWrites: 0, cacheReads: 0, cost: 0.005 }),
      finished(1400, { tokensIn: 99, tokensOut: 99, cost: 9 }),
    ]
    const c = await readOnly(
      clineAdapter,
      writeTask(scratch.dir(), '1600000000000', { 'ui_messages.json': rows }),
    )
    expect(requestsOf(c.messages).map((m) => m.usage)).toEqual([
      expect.objectContaining({
        responseKey: `ui-${at(1100)}`,
        tokensIn: 12,
        tokensOut: 34,
        loggedCost: 0.005,
      }),
    ])
    expect(totalsOf(c)).toEqual([12, 34, 0, 0])
    expect(c.conversation.cost).toBe(0.005)
  })

  it('a task that switched models mid-way: each request has the model its own environment details name', async () => {
    const rows = [
      say(at(1000), 'text', 'Go'),
      apiRequest(at(1100), environment('/w', 'claude-sonnet-4-5')),
      apiRequest(at(1200), environment('/w', 'claude-opus-4-5')),
    ]
    const c = await readOnly(rooCodeAdapter, writeTask(scratch.dir(), 'switch', { 'ui_messages.json': rows }))
    expect(c.conversation.model).toBe('claude-opus-4-5') // the task's latest
    expect(requestsOf(c.messages).map((m) => m.usage?.model)).toEqual([
      'claude-sonnet-4-5',
      'claude-opus-4-5',
    ])
  })

  it('a Cline row’s modelInfo names its model; a row naming none is sent to the task’s model', async () => {
    const rows = [
      say(at(1000), 'task', 'Go'),
      {
        ...apiRequest(at(1100), 'no details'),
        modelInfo: { providerId: 'anthropic', modelId: 'claude-opus-4-1' },
      },
      apiRequest(at(1200), 'no details'),
    ]
    const items = [{ role: 'assistant', content: 'ok', modelInfo: { modelId: 'claude-haiku-4-5' } }]
    const c = await readOnly(
      clineAdapter,
      writeTask(scratch.dir(), '1760000000000', {
        'ui_messages.json': rows,
        'api_conversation_history.json': items,
      }),
    )
    expect(requestsOf(c.messages).map((m) => m.usage?.model)).toEqual(['claude-opus-4-1', 'claude-haiku-4-5'])
  })
})

describe('Cline API history metrics', () => {
  const items = [
    { role: 'user', content: [{ type: 'text', text: '<task>\nGo\n</task>' }] },
    {
      role: 'assistant',
      content: [{ type: 'text', text: 'OK' }],
      modelInfo: { modelId: 'claude-opus-4', providerId: 'anthropic' },
      metrics: { tokens: { prompt: 100, completion: 50, cached: 25 }, cost: 0.02 },
    },
  ]

  it('without a UI log, each item’s metrics are its response’s usage', async () => {
    const c = await readOnly(
      clineAdapter,
      writeTask(scratch.dir(), '1700000000000', { 'api_conversation_history.json': items }),
    )
    expect(c.messages[1]?.usage).toEqual({
      responseKey: 'api-at-1',
      model: 'claude-opus-4',
      tokensIn: 100,
      tokensOut: 50,
      cacheWrites: 0,
      cacheWrites1h: 0,
      cacheReads: 25,
      loggedCost: 0.02,
    })
    expect(totalsOf(c)).toEqual(summed(responsesOf(c.messages)))
  })

  it('with a UI log, the request rows count and the items’ metrics (the same requests) do not', async () => {
    const rows = [say(at(1000), 'task', 'Go'), apiRequest(at(1100), 'go', 100)]
    const c = await readOnly(
      clineAdapter,
      writeTask(scratch.dir(), '1700000000000', {
        'ui_messages.json': rows,
        'api_conversation_history.json': items,
      }),
    )
    const responses = responsesOf(c.messages)
    expect([...responses.keys()]).toEqual([`ui-${at(1100)}`])
    expect(summed(responses)).toEqual([100, 5, 0, 0])
    expect(totalsOf(c)).toEqual([100, 5, 0, 0])
  })
})
