/** The API dispatcher: what it refuses (unknown methods, bad arguments), what it answers, and how it fails. */
import { beforeEach, describe, expect, it } from 'vitest'
import type { Repository } from '../repository/repository'
import { NO_PRICES } from '../repository/usage-writes'
import type { MessageInput } from '../repository/writes'
import { useScratch } from '../repository/test-support/scratch'
import type { UsageReport } from '../../shared/api/contract'
import { makeDispatcher, type ApiDispatcher } from './handlers'

const scratch = useScratch()
const USAGE_ARGS = { period: 'day', filter: {}, utcOffsetMinutes: 0 }
let repo: Repository
let dispatch: ApiDispatcher
let logged: string[]

beforeEach(async () => {
  repo = scratch.open()
  await repo.write('import', async (w) => {
    await w.upsertConversations(
      ['a', 'b', 'c'].map((id, i) => ({
        id,
        source: 'roo' as const,
        sourceId: id,
        title: `Task ${id}`,
        createdAt: 1_000 + i,
      })),
    )
    await w.upsertMessages([
      { id: 'a-0', conversationId: 'a', ordinal: 0, role: 'user', text: 'hello dispatcher' },
    ])
  })
  logged = []
  dispatch = makeDispatcher(repo, (message) => logged.push(message))
})

describe('unknown methods', () => {
  it.each([
    'nope',
    '',
    'Stats',
    'toString',
    'constructor',
    '__proto__',
    'hasOwnProperty',
    42,
    null,
    undefined,
    { method: 'stats' },
  ])('%j is UNKNOWN_METHOD', async (method) => {
    const result = await dispatch(method, {})
    expect(result).toEqual({ ok: false, error: { code: 'UNKNOWN_METHOD', message: expect.any(String) } })
  })

  it('quotes at most 100 characters of a huge method name back', async () => {
    const result = await dispatch('x'.repeat(100_000), {})
    expect(result.ok ? '' : result.error.message.length).toBeLessThan(150)
  })
})

describe('invalid arguments', () => {
  it.each<[string, unknown, string]>([
    ['search', {}, 'args.query'],
    ['search', { query: 5 }, 'args.query'],
    ['search', { query: 'x'.repeat(10_001) }, 'args.query'],
    ['search', { query: 'x', limit: 0 }, 'args.limit'],
    ['search', { query: 'x', limit: 201 }, 'args.limit'],
    ['search', { query: 'x', limit: 1.5 }, 'args.limit'],
    ['search', { query: 'x', limit: '5' }, 'args.limit'],
    ['search', { query: 'x', limit: Number.NaN }, 'args.limit'],
    ['search', { query: 'x', cursor: 'c'.repeat(1_001) }, 'args.cursor'],
    ['search', { query: 'x', cursor: 7 }, 'args.cursor'],
    ['search', { query: 'x', sql: 'DROP TABLE messages' }, 'args.sql'],
    ['search', { query: 'x', candidateWindow: 1 }, 'args.candidateWindow'],
    ['search', { query: 'x', toString: 'inherited name' }, 'args.toString'],
    ['search', JSON.parse('{"query":"x","__proto__":{"limit":1}}'), 'args.__proto__'],
    ['search', 'hello', 'args'],
    ['search', ['hello'], 'args'],
    ['searchSuggestions', {}, 'args.query'],
    ['searchSuggestions', { query: 'x', asYouType: 'yes' }, 'args.asYouType'],
    ['searchSuggestions', { query: 'x', limit: 3 }, 'args.limit'],
    ['listConversations', { source: 'vscode' }, 'args.source'],
    ['listConversations', { sort: 'random' }, 'args.sort'],
    ['listConversations', { starred: 'yes' }, 'args.starred'],
    ['listConversations', { workspace: 'w'.repeat(4_097) }, 'args.workspace'],
    ['listConversations', { limit: 501 }, 'args.limit'],
    ['listConversations', { includeDeleted: true }, 'args.includeDeleted'],
    ['stats', { anything: 1 }, 'args.anything'],
    // The usage dashboard's arguments: each bad value is refused by name before any SQL runs.
    ['usage', {}, 'args.period'],
    ['usage', { ...USAGE_ARGS, period: 'year' }, 'args.period'],
    ['usage', { ...USAGE_ARGS, by: 'colour' }, 'args.by'],
    ['usage', { ...USAGE_ARGS, filter: undefined }, 'args.filter'],
    ['usage', { ...USAGE_ARGS, filter: { shelf: 'bin' } }, 'args.filter.shelf'],
    ['usage', { ...USAGE_ARGS, filter: { source: 'vscode' } }, 'args.filter.source'],
    ['usage', { ...USAGE_ARGS, filter: { since: -1 } }, 'args.filter.since'],
    ['usage', { ...USAGE_ARGS, filter: { until: '2026-01-01' } }, 'args.filter.until'],
    ['usage', { ...USAGE_ARGS, filter: { sql: '1=1' } }, 'args.filter.sql'],
    ['usage', { ...USAGE_ARGS, utcOffsetMinutes: 841 }, 'args.utcOffsetMinutes'],
    ['usage', { ...USAGE_ARGS, utcOffsetMinutes: 90.5 }, 'args.utcOffsetMinutes'],
    ['usage', { ...USAGE_ARGS, utcOffsetMinutes: undefined }, 'args.utcOffsetMinutes'],
    ['stats', 0, 'args'],
  ])('%s %j is INVALID_ARGUMENTS naming %s', async (method, args, field) => {
    const result = await dispatch(method, args)
    expect(result).toEqual({
      ok: false,
      error: { code: 'INVALID_ARGUMENTS', message: expect.stringContaining(`${method}: ${field} must be`) },
    })
  })
})

describe('valid calls', () => {
  it.each([undefined, null, {}])('stats with %j answers ok with totals', async (args) => {
    const result = await dispatch('stats', args)
    expect(result).toMatchObject({ ok: true, value: { totals: { conversations: 3, messages: 1 } } })
  })

  it('search answers ok with message hits, and passes limit and cursor through', async () => {
    expect(await dispatch('search', { query: 'dispatcher' })).toEqual({
      ok: true,
      value: {
        titleHits: [],
        hits: [expect.objectContaining({ messageId: 'a-0' })],
        nextCursor: null,
        suggestions: [],
      },
    })
    await repo.write('import', (w) =>
      w.upsertMessages(
        ['b', 'c'].map((id) => ({
          id: `${id}-0`,
          conversationId: id,
          ordinal: 0,
          role: 'user',
          text: 'dispatcher',
        })),
      ),
    )
    const first = await dispatch('search', { query: 'dispatcher', limit: 2 })
    expect(first).toMatchObject({ ok: true, value: { hits: [{}, {}], nextCursor: expect.any(String) } })
    const cursor = first.ok ? (first.value as { nextCursor: string }).nextCursor : null
    expect(await dispatch('search', { query: 'dispatcher', limit: 2, cursor })).toMatchObject({
      ok: true,
      value: { titleHits: [], hits: [{ kind: 'message' }], nextCursor: null },
    })
  })

  it('searchSuggestions answers corrections from the index, and search carries them when not typed', async () => {
    const corrected = [
      { query: 'dispatcher', corrections: [{ word: 'dispatchr', suggestion: 'dispatcher' }] },
    ]
    expect(await dispatch('searchSuggestions', { query: 'dispatchr', asYouType: true })).toEqual({
      ok: true,
      value: corrected,
    })
    expect(await dispatch('search', { query: 'dispatchr' })).toMatchObject({
      ok: true,
      value: { suggestions: corrected },
    })
    expect(await dispatch('search', { query: 'dispatchr', asYouType: true })).toMatchObject({
      ok: true,
      value: { suggestions: [] },
    })
  })

  it('search answers title matches in their own group', async () => {
    const result = await dispatch('search', { query: 'task', limit: 1 })
    expect(result).toMatchObject({ ok: true, value: { hits: [], nextCursor: null } })
    const titles = result.ok
      ? (result.value as { titleHits: { kind: string; conversationId: string }[] }).titleHits
      : []
    expect(titles.map((h) => [h.kind, h.conversationId]).sort()).toEqual([
      ['title', 'a'],
      ['title', 'b'],
      ['title', 'c'],
    ])
  })

  it('search hands back the search language’s own error as a value', async () => {
    expect(await dispatch('search', { query: '   ' })).toMatchObject({
      ok: false,
      error: { code: 'EMPTY_QUERY' },
    })
    expect(await dispatch('search', { query: 'x '.repeat(4_000) })).toMatchObject({
      ok: false,
      error: { code: 'QUERY_TOO_LONG' },
    })
    expect(await dispatch('search', { query: 'x', cursor: 'bad' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_CURSOR' },
    })
  })

  it('listConversations answers a filtered, sorted page; null optional fields count as absent', async () => {
    const result = await dispatch('listConversations', {
      source: 'roo',
      starred: false,
      sort: 'title',
      limit: 2,
      cursor: null,
    })
    expect(result).toMatchObject({
      ok: true,
      value: { items: [{ id: 'a' }, { id: 'b' }], nextCursor: expect.any(String) },
    })
  })
})

describe('usage', () => {
  const HOUR = 3_600_000
  const DAY = 24 * HOUR
  // Two days ago at 09:00 UTC: the billing windows are read for the week before now.
  const DAY0 = Math.floor(Date.now() / DAY) * DAY - 2 * DAY
  const T0 = DAY0 + 9 * HOUR
  const response = (key: string, model: string, tokensIn: number, loggedCost: number | null) => ({
    responseKey: key,
    model,
    tokensIn,
    tokensOut: 10,
    cacheWrites: 0,
    cacheWrites1h: 0,
    cacheReads: 0,
    loggedCost,
  })

  it('answers the series, rankings and windows under the filters', async () => {
    await repo.write('import', async (w) => {
      await w.upsertConversations([
        { id: 'cc', source: 'claude-code', sourceId: 'cc', title: 'Costly', createdAt: T0 },
      ])
      const messages: MessageInput[] = [
        {
          id: 'cc-1',
          conversationId: 'cc',
          ordinal: 1,
          role: 'assistant',
          text: 'x',
          createdAt: T0,
          usage: response('r1', 'opus', 100, 0.5),
        },
        {
          id: 'cc-2',
          conversationId: 'cc',
          ordinal: 2,
          role: 'assistant',
          text: 'y',
          createdAt: T0 + DAY,
          usage: response('r2', 'mystery', 5, null),
        },
      ]
      await w.upsertMessages(messages)
      await w.upsertUsage(messages)
    })
    const result = await dispatch('usage', {
      period: 'day',
      by: 'model',
      filter: { shelf: 'all' },
      utcOffsetMinutes: 60,
    })
    expect(result.ok).toBe(true)
    const report = result.ok ? (result.value as UsageReport) : null
    // The logged cost is kept; the response with no price is counted apart, never as $0.
    expect(report?.series.totals).toMatchObject({
      responses: 2,
      tokensIn: 105,
      cost: 0.5,
      unpricedResponses: 1,
    })
    // The series in columns: each bucket's period and key, its cost, tokens and unpriced responses.
    const series = report?.series
    expect(
      series?.buckets.period.map((i, b) => [series.starts[i], series.keys[series.buckets.key[b] ?? -1]]),
    ).toEqual([
      // Local days at UTC+1 start at 23:00 UTC.
      [DAY0 - HOUR, 'opus'],
      [DAY0 + DAY - HOUR, 'mystery'],
    ])
    expect(series?.buckets.cost).toEqual([0.5, 0])
    expect(series?.buckets.unpriced).toEqual([0, 1])
    expect(report?.rankings.conversations.map((c) => [c.id, c.figures.cost])).toEqual([['cc', 0.5]])
    // Two windows a day apart, neither open now.
    expect(report?.blocks.filter((b) => b.figures.responses > 0).map((b) => b.start)).toEqual([T0, T0 + DAY])
    // A filter the response does not pass leaves it out.
    const opus = await dispatch('usage', { period: 'month', filter: { model: 'opus' }, utcOffsetMinutes: 0 })
    expect(opus).toMatchObject({
      ok: true,
      value: { series: { totals: { responses: 1, unpricedResponses: 0 } } },
    })
  })

  it('names the price table the costs come from, and none where the repository holds none', async () => {
    const priced = scratch.open({ prices: { date: '2026-12-01', source: 'LiteLLM', priceFor: () => null } })
    const answer = await makeDispatcher(priced, () => {})('usage', USAGE_ARGS)
    expect(answer).toMatchObject({ ok: true, value: { prices: { date: '2026-12-01', source: 'LiteLLM' } } })
    const unpriced = scratch.open({ prices: NO_PRICES })
    expect(await makeDispatcher(unpriced, () => {})('usage', USAGE_ARGS)).toMatchObject({
      ok: true,
      value: { prices: null },
    })
  })
})

describe('conversation', () => {
  it('reads the messages in order, a page at a time', async () => {
    await repo.write('import', (w) =>
      w.upsertMessages(
        [1, 2, 3].map((ordinal) => ({
          id: `a-${ordinal}`,
          conversationId: 'a',
          ordinal,
          role: 'assistant' as const,
          text: `answer ${ordinal}`,
        })),
      ),
    )
    const first = await dispatch('conversation', { id: 'a', limit: 3 })
    expect(first).toMatchObject({
      ok: true,
      value: { conversation: { id: 'a', title: 'Task a' }, messages: { nextCursor: expect.any(String) } },
    })
    const page = first.ok
      ? (first.value as { messages: { items: { id: string }[]; nextCursor: string } })
      : null
    expect(page?.messages.items.map((m) => m.id)).toEqual(['a-0', 'a-1', 'a-2'])
    const rest = await dispatch('conversation', { id: 'a', cursor: page?.messages.nextCursor })
    expect(rest).toMatchObject({
      ok: true,
      value: { messages: { items: [{ id: 'a-3' }], nextCursor: null } },
    })
    // The reader asks for what came after the last message it shows.
    const after = await dispatch('conversation', { id: 'a', afterOrdinal: 1 })
    expect(after).toMatchObject({ ok: true, value: { messages: { items: [{ id: 'a-2' }, { id: 'a-3' }] } } })
  })

  it('answers NOT_FOUND for an unknown id, and INVALID_ARGUMENTS for a limit of 0', async () => {
    expect(await dispatch('conversation', { id: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    })
    expect(await dispatch('conversation', { id: 'a', limit: 0 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENTS' },
    })
    // Bad input: a cursor that was never handed out.
    expect(await dispatch('conversation', { id: 'a', cursor: 'garbage' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_CURSOR' },
    })
  })
})

describe('failures on the main side', () => {
  it('turn into INTERNAL with no stack in the answer, and the details go to the log', async () => {
    await repo.close()
    const result = await dispatch('stats', {})
    expect(result).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: expect.not.stringContaining(' at ') },
    })
    expect(logged).toHaveLength(1)
    expect(logged[0]).toMatch(/^api stats failed: /)
  })
})
