/**
 * billingBlocks and usageRankings on real SQLite files. The bad inputs for blocks: a response after the block's
 * end, a pause longer than 5 hours, a block still running at `now`, and other sources' responses in the same hours.
 */
import { CompiledQuery, type Kysely } from 'kysely'
import { describe, expect, it } from 'vitest'
import type { Database } from '../repository/database-schema'
import { useScratch } from '../repository/test-support/scratch'
import { slotsQuery } from './usage-blocks'
import { billingBlocks, usageRankings } from './usage-queries'
import { writeResponses } from './usage-test-data'

const scratch = useScratch()
const H = 3_600_000
const t = (hour: number, minute = 0) => Date.UTC(2025, 5, 2, hour, minute)

async function claudeDay() {
  const repo = scratch.open()
  await writeResponses(
    repo,
    [
      { id: 'cc', source: 'claude-code' },
      { id: 'roo', source: 'roo' },
    ],
    [
      { conversation: 'cc', at: t(10, 17), cost: 1, model: 'claude-opus-4-1' },
      { conversation: 'cc', at: t(14, 59), cost: 1 },
      // 10:00 + 5 h has passed: a new block, at 15:00, though the last response was a minute ago.
      { conversation: 'cc', at: t(15, 0) + 1, cost: 1 },
      // More than 5 hours after 15:00: a gap from 20:00 to 22:00, then a block from 22:00.
      { conversation: 'cc', at: t(22, 0), cost: 1, tokensIn: 600, tokensOut: 0 },
      { conversation: 'cc', at: t(22, 30), cost: 2, tokensIn: 0, tokensOut: 600 },
      // Not Claude Code: never in a billing window.
      { conversation: 'roo', at: t(12, 0), cost: 50 },
      { conversation: 'roo', at: t(18, 0), cost: 50 },
    ],
  )
  return repo
}

describe('billingBlocks', () => {
  it('starts a block at the first response hour, a new one after 5 hours, and shows a pause as a gap', async () => {
    const repo = await claudeDay()
    const blocks = await billingBlocks(repo.db, { filter: {}, now: t(23, 59) + 10 * H })
    expect(blocks.map((b) => [b.start, b.end, b.figures.responses, b.figures.cost, b.active])).toEqual([
      [t(10), t(15), 2, 2, false],
      [t(15), t(20), 1, 1, false],
      [t(15, 0) + 1 + 5 * H, t(22), 0, 0, false],
      [t(22), t(27), 2, 3, false],
    ])
    expect(blocks[0]?.models).toEqual(['claude-opus-4-1', 'claude-sonnet-4-5'])
    expect(blocks[0]?.lastActivityAt).toBe(t(14, 59))
    expect(blocks[2]?.models).toEqual([])
    expect(blocks.every((b) => b.burn === null)).toBe(true)
  })

  it("gives the active block ccusage's burn rate and the cost projected to its end", async () => {
    const repo = await claudeDay()
    const blocks = await billingBlocks(repo.db, { filter: {}, now: t(23) })
    const active = blocks.filter((b) => b.active)
    expect(active).toHaveLength(1)
    // 1,200 tokens and $3 over the 30 minutes from 22:00 to 22:30; 240 minutes left until 03:00 at $6 an hour.
    expect(active[0]?.burn).toEqual({ tokensPerMinute: 40, costPerHour: 6, projectedCost: 27 })
    // Five hours after the last response the block is over even before its end.
    const later = await billingBlocks(repo.db, { filter: {}, now: t(22, 30) + 5 * H })
    expect(later.some((b) => b.active)).toBe(false)
  })

  it('keeps a response exactly at the end in its block, and one a millisecond later starts the next', async () => {
    const repo = scratch.open()
    await writeResponses(
      repo,
      [{ id: 'cc', source: 'claude-code' }],
      [
        { conversation: 'cc', at: t(10, 17) },
        { conversation: 'cc', at: t(15) },
        { conversation: 'cc', at: t(15) + 1 },
        { conversation: 'cc', at: t(15, 40) },
      ],
    )
    const blocks = await billingBlocks(repo.db, { filter: {}, now: 0 })
    expect(blocks.map((b) => [b.start, b.lastActivityAt, b.figures.responses])).toEqual([
      [t(10), t(15), 2],
      [t(15), t(15, 40), 2],
    ])
  })

  it('applies the filters; another source than Claude Code has no blocks', async () => {
    const repo = await claudeDay()
    const since = await billingBlocks(repo.db, { filter: { since: t(21) }, now: 0 })
    expect(since.map((b) => b.start)).toEqual([t(22)])
    expect(await billingBlocks(repo.db, { filter: { source: 'roo' }, now: 0 })).toEqual([])
  })
})

async function planOf(db: Kysely<Database>, query: ReturnType<typeof slotsQuery>): Promise<string> {
  const { sql: text, parameters } = query.compile(db)
  const { rows } = await db.executeQuery<{ detail: string }>(
    CompiledQuery.raw(`EXPLAIN QUERY PLAN ${text}`, [...parameters]),
  )
  return rows.map((r) => r.detail).join('\n')
}

describe('billingBlocks query plan', () => {
  it("reads a recent span's responses by time, a workspace's by conversation", async () => {
    const repo = await claudeDay()
    // Through the conversations, a week's windows would read every response Claude Code ever gave.
    expect(await planOf(repo.db, slotsQuery({ since: t(21) }))).toMatch(
      /SEARCH u USING (COVERING )?INDEX usage_by_time/,
    )
    expect(await planOf(repo.db, slotsQuery({ since: t(21), workspace: '/w/api' }))).toMatch(
      /SEARCH u USING PRIMARY KEY \(conversation_id=\?\)/,
    )
  })
})

describe('usageRankings', () => {
  it('orders conversations and workspaces by cost under the filters, up to the limit', async () => {
    const repo = scratch.open()
    await writeResponses(
      repo,
      [
        { id: 'a', workspace: '/w/a', title: 'Cheap' },
        { id: 'b', workspace: '/w/b', title: 'Dear' },
        { id: 'c', workspace: '/w/a', title: 'Middle' },
      ],
      [
        { conversation: 'a', at: t(1), cost: 1 },
        { conversation: 'b', at: t(2), cost: 10, model: 'gpt-5' },
        { conversation: 'c', at: t(3), cost: 4 },
        { conversation: 'c', at: t(4), cost: 4 },
      ],
    )
    const all = await usageRankings(repo.db, { filter: {}, limit: 2 })
    expect(all.conversations.map((c) => [c.id, c.title, c.figures.cost])).toEqual([
      ['b', 'Dear', 10],
      ['c', 'Middle', 8],
    ])
    expect(all.workspaces.map((w) => [w.key, w.figures.cost, w.figures.responses])).toEqual([
      ['/w/b', 10, 1],
      ['/w/a', 9, 3],
    ])
    const noGpt = await usageRankings(repo.db, { filter: { model: 'claude-sonnet-4-5' } })
    expect(noGpt.conversations.map((c) => c.id)).toEqual(['c', 'a'])
    expect(noGpt.workspaces.map((w) => w.key)).toEqual(['/w/a'])
  })

  it('breaks equal costs by tokens, then by id or workspace, and sums the conversations without one as ""', async () => {
    const repo = scratch.open()
    await writeResponses(
      repo,
      [
        { id: 'b', workspace: null, title: 'No folder' },
        { id: 'a', workspace: '/w/z', title: 'Same as b' },
        { id: 'c', workspace: '/w/y', title: 'More tokens' },
        { id: 'd', workspace: '/w/x', title: 'Cheaper' },
        { id: 'e', workspace: '/w/z', title: 'Trashed' },
      ],
      [
        { conversation: 'b', at: t(1), cost: 3 },
        { conversation: 'a', at: t(2), cost: 3 },
        { conversation: 'c', at: t(3), cost: 3, tokensIn: 500 },
        { conversation: 'd', at: t(4), cost: 1, model: 'gpt-5' },
        { conversation: 'd', at: t(5), cost: 1 },
        { conversation: 'e', at: t(6), cost: 100 },
      ],
    )
    await repo.db
      .updateTable('conversations')
      .set({ deleted_at: t(7) })
      .where('id', '=', 'e')
      .execute()
    const ranked = await usageRankings(repo.db, { filter: {} })
    expect(ranked.conversations.map((c) => [c.id, c.title, c.workspace, c.source])).toEqual([
      ['c', 'More tokens', '/w/y', 'claude-code'],
      ['a', 'Same as b', '/w/z', 'claude-code'],
      ['b', 'No folder', null, 'claude-code'],
      ['d', 'Cheaper', '/w/x', 'claude-code'],
    ])
    expect(ranked.conversations[3]?.figures).toMatchObject({ responses: 2, cost: 2, tokensIn: 200 })
    expect(ranked.workspaces.map((w) => [w.key, w.figures.cost])).toEqual([
      ['/w/y', 3],
      ['', 3],
      ['/w/z', 3],
      ['/w/x', 2],
    ])
  })
})
