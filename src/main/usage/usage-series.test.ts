/**
 * usageSeries on real SQLite files: local days, ISO weeks and months at the caller's offset, grouping, and each of
 * the list's filters. The bad inputs are responses near the edges: just before local midnight, on a Sunday, on the
 * last evening of a month, in a half-hour zone.
 */
import { describe, expect, it } from 'vitest'
import { useScratch } from '../repository/test-support/scratch'
import { usageSeries } from './usage-queries'
import { writeResponses, type TestConversation, type TestResponse } from './usage-test-data'

const scratch = useScratch()
const H = 3_600_000
const M = 60_000

async function library(responses: readonly TestResponse[], conversations?: readonly TestConversation[]) {
  const repo = scratch.open()
  const ids = [...new Set(responses.map((r) => r.conversation))]
  await writeResponses(repo, conversations ?? ids.map((id) => ({ id })), responses)
  return repo
}

/** [local period start as YYYY-MM-DD at the offset, key, responses] of every bucket. */
async function buckets(
  repo: Awaited<ReturnType<typeof library>>,
  period: 'day' | 'week' | 'month',
  utcOffsetMinutes: number,
  by: 'model' | 'source' | 'workspace' | 'device' | null = null,
  filter = {},
) {
  const series = await usageSeries(repo.db, { period, by, filter, utcOffsetMinutes })
  return series.buckets.map((b) => [
    new Date(b.start + utcOffsetMinutes * M).toISOString().replace(/T00:00:00.000Z$/, ''),
    b.key,
    b.figures.responses,
  ])
}

describe('usageSeries: periods in the local time of the offset', () => {
  it('puts a response at 23:30 UTC on the next day two hours east, and on its own day at UTC', async () => {
    const repo = await library([
      { conversation: 'c1', at: Date.UTC(2025, 2, 10, 23, 30) },
      { conversation: 'c1', at: Date.UTC(2025, 2, 10, 12, 0) },
    ])
    expect(await buckets(repo, 'day', 0)).toEqual([['2025-03-10', '', 2]])
    expect(await buckets(repo, 'day', 120)).toEqual([
      ['2025-03-10', '', 1],
      ['2025-03-11', '', 1],
    ])
    // Five hours west, 02:00 UTC on the 11th is still the 10th.
    const west = await library([{ conversation: 'c2', at: Date.UTC(2025, 2, 11, 2, 0) }])
    expect(await buckets(west, 'day', -300)).toEqual([['2025-03-10', '', 1]])
    const series = await usageSeries(west.db, { period: 'day', by: null, filter: {}, utcOffsetMinutes: -300 })
    expect(series.buckets[0]?.start).toBe(Date.UTC(2025, 2, 10) + 300 * M)
  })

  it('in a +05:30 zone, the hour that straddles midnight counts on the day it starts (up to 30 minutes off)', async () => {
    const repo = await library([
      // 18:40 UTC is 00:10 IST on the 11th, but its UTC hour (18:00, 23:30 IST) starts on the 10th.
      { conversation: 'c1', at: Date.UTC(2025, 2, 10, 18, 40) },
      // 19:10 UTC is 00:40 IST: its hour starts at 00:30 IST on the 11th.
      { conversation: 'c1', at: Date.UTC(2025, 2, 10, 19, 10) },
    ])
    const series = await usageSeries(repo.db, { period: 'day', by: null, filter: {}, utcOffsetMinutes: 330 })
    expect(series.buckets.map((b) => [b.start, b.figures.responses])).toEqual([
      [Date.UTC(2025, 2, 10) - 330 * M, 1],
      [Date.UTC(2025, 2, 11) - 330 * M, 1],
    ])
  })

  it('starts weeks on Monday, local: Sunday evening in New York is Monday in UTC', async () => {
    const repo = await library([
      { conversation: 'c1', at: Date.UTC(2025, 2, 16, 12, 0) }, // Sunday
      { conversation: 'c1', at: Date.UTC(2025, 2, 17, 12, 0) }, // Monday
      { conversation: 'c1', at: Date.UTC(2025, 2, 17, 3, 0) }, // Monday UTC, Sunday 23:00 at -04:00
    ])
    expect(await buckets(repo, 'week', 0)).toEqual([
      ['2025-03-10', '', 1],
      ['2025-03-17', '', 2],
    ])
    expect(await buckets(repo, 'week', -240)).toEqual([
      ['2025-03-10', '', 2],
      ['2025-03-17', '', 1],
    ])
    // A week across the new year: Monday 2024-12-30 holds 2025-01-01.
    const newYear = await library([{ conversation: 'c2', at: Date.UTC(2025, 0, 1, 9, 0) }])
    expect(await buckets(newYear, 'week', 0)).toEqual([['2024-12-30', '', 1]])
  })

  it('cuts months at local midnight of the 1st, leap days included', async () => {
    const repo = await library([
      { conversation: 'c1', at: Date.UTC(2025, 0, 31, 23, 30) }, // February 1st at +01:00
      { conversation: 'c1', at: Date.UTC(2024, 1, 29, 12, 0) },
      { conversation: 'c1', at: Date.UTC(2024, 2, 1, 0, 30) }, // February 29th at -01:00
    ])
    expect(await buckets(repo, 'month', 0)).toEqual([
      ['2024-02-01', '', 1],
      ['2024-03-01', '', 1],
      ['2025-01-01', '', 1],
    ])
    expect(await buckets(repo, 'month', 60)).toEqual([
      ['2024-02-01', '', 1],
      ['2024-03-01', '', 1],
      ['2025-02-01', '', 1],
    ])
    expect(await buckets(repo, 'month', -60)).toEqual([
      ['2024-02-01', '', 2],
      ['2025-01-01', '', 1],
    ])
  })

  it('refuses an offset that is not whole minutes within UTC-14 to UTC+14', async () => {
    const repo = await library([{ conversation: 'c1', at: Date.UTC(2025, 0, 1) }])
    for (const utcOffsetMinutes of [900, 5.5, Number.NaN])
      await expect(
        usageSeries(repo.db, { period: 'day', by: null, filter: {}, utcOffsetMinutes }),
      ).rejects.toThrow(RangeError)
  })
})

describe('usageSeries: figures, groups and filters', () => {
  const day = Date.UTC(2025, 4, 5, 10, 0)
  const conversations: TestConversation[] = [
    { id: 'cc', source: 'claude-code', workspace: '/w/api' },
    { id: 'roo', source: 'roo', workspace: '/w/web' },
    { id: 'none', source: 'cline', workspace: null },
  ]
  const responses: TestResponse[] = [
    {
      conversation: 'cc',
      at: day,
      model: 'claude-opus-4-1',
      device: 'laptop',
      tokensIn: 100,
      tokensOut: 20,
      cacheWrites: 5,
      cacheReads: 1000,
      cost: 0.5,
    },
    {
      conversation: 'cc',
      at: day + H,
      model: 'claude-sonnet-4-5',
      device: 'desk',
      tokensIn: 7,
      tokensOut: 3,
      cost: 0.25,
    },
    {
      conversation: 'roo',
      at: day + 2 * H,
      model: 'gpt-5',
      device: 'desk',
      tokensIn: 50,
      tokensOut: 5,
      cost: 2,
    },
    // No logged cost and no price book: unpriced, which adds nothing to the cost and one to the count.
    {
      conversation: 'none',
      at: day + 3 * H,
      model: 'mystery-model',
      device: 'laptop',
      tokensIn: 9,
      tokensOut: 1,
      cost: null,
    },
  ]

  it('sums every token kind and cost, and counts unpriced responses apart', async () => {
    const repo = await library(responses, conversations)
    const series = await usageSeries(repo.db, { period: 'day', by: null, filter: {}, utcOffsetMinutes: 0 })
    expect(series.buckets).toHaveLength(1)
    const { uncachedCost, ...figures } = series.totals
    expect(figures).toEqual({
      responses: 4,
      tokensIn: 166,
      tokensOut: 29,
      cacheWrites: 5,
      cacheWrites1h: 0,
      cacheReads: 1000,
      cost: 2.75,
      unpricedResponses: 1,
    })
    // What caching saved is the writer's figure per response; the series sums it.
    const held = await repo.db
      .selectFrom('usage')
      .select((eb) => eb.fn.sum<number>('cost_uncached').as('sum'))
      .executeTakeFirstOrThrow()
    expect(uncachedCost).toBeCloseTo(held.sum, 9)
  })

  it('groups by model, source, workspace and device', async () => {
    const repo = await library(responses, conversations)
    const keys = async (by: 'model' | 'source' | 'workspace' | 'device') =>
      (await buckets(repo, 'day', 0, by)).map(([, key, n]) => [key, n])
    expect(await keys('model')).toEqual([
      ['claude-opus-4-1', 1],
      ['claude-sonnet-4-5', 1],
      ['gpt-5', 1],
      ['mystery-model', 1],
    ])
    expect(await keys('source')).toEqual([
      ['claude-code', 2],
      ['cline', 1],
      ['roo', 1],
    ])
    expect(await keys('workspace')).toEqual([
      ['', 1],
      ['/w/api', 2],
      ['/w/web', 1],
    ])
    expect(await keys('device')).toEqual([
      ['desk', 2],
      ['laptop', 2],
    ])
  })

  it('applies each filter: source, workspace, model, device, dates and shelves', async () => {
    const repo = await library(responses, conversations)
    const count = async (filter: object) =>
      (await usageSeries(repo.db, { period: 'day', by: null, filter, utcOffsetMinutes: 0 })).totals.responses
    expect(await count({ source: 'roo' })).toBe(1)
    expect(await count({ workspace: '/w/api' })).toBe(2)
    expect(await count({ model: 'gpt-5' })).toBe(1)
    expect(await count({ deviceId: 'laptop' })).toBe(2)
    expect(await count({ since: day + H, until: day + 3 * H })).toBe(2)
    expect(await count({ source: 'claude-code', deviceId: 'desk', model: 'claude-sonnet-4-5' })).toBe(1)
    await repo.db.updateTable('conversations').set({ archived: 1 }).where('id', '=', 'roo').execute()
    await repo.db.updateTable('conversations').set({ deleted_at: day }).where('id', '=', 'none').execute()
    await repo.db.updateTable('conversations').set({ starred: 1 }).where('id', '=', 'cc').execute()
    // No shelf: everything not in the trash, archived included.
    expect(await count({})).toBe(3)
    expect(await count({ shelf: 'all' })).toBe(2)
    expect(await count({ shelf: 'archived' })).toBe(1)
    expect(await count({ shelf: 'starred' })).toBe(2)
    expect(await count({ shelf: 'deleted' })).toBe(1)
  })
})
