/**
 * Ticks on a real repository: each holds as many changes as LiveStore's leader persists in one transaction
 * (MAX_EVENTS_PER_TICK events), never more, and the ticks one after another cover the feed once, in order.
 */
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import type { Repository } from '../repository/repository'
import { useScratch } from '../repository/test-support/scratch'
import { conversationInput } from '../repository/test-support/inputs'
import { MAX_EVENTS_PER_TICK, nextTick, type Tick } from './bridge-tick'

const scratch = useScratch()

const messagesOf = (conversationId: string, count: number) =>
  Array.from({ length: count }, (_, ordinal) => ({
    id: `${conversationId}#${ordinal}`,
    conversationId,
    ordinal,
    role: 'user' as const,
    text: `message ${ordinal}`,
  }))

async function allTicks(repo: Repository, after = 0): Promise<Tick[]> {
  const ticks: Tick[] = []
  let cursor = after
  for (let tick = await nextTick(repo.db, cursor, 'device-1', () => 1); tick;) {
    ticks.push(tick)
    cursor = tick.lastSeq
    tick = await nextTick(repo.db, cursor, 'device-1', () => 1)
  }
  return ticks
}

const ids = (count: number) => Array.from({ length: count }, (_, i) => `c${String(i).padStart(2, '0')}`)

describe('bridge ticks', () => {
  it('fill each tick up to the leader’s transaction: an import of 25 conversations takes 5 ticks, not 25', async () => {
    const repo = scratch.open()
    await repo.write('import', async (w) => {
      await w.upsertConversations(ids(25).map((id) => conversationInput(id)))
      await w.upsertMessages(ids(25).flatMap((id) => messagesOf(id, 3)))
    })
    const ticks = await allTicks(repo)
    expect(ticks.map((t) => t.events.length)).toEqual([10, 10, 10, 10, 10])
    const imported = ticks.flatMap((t) => t.events).filter((e) => e.name === 'v1.ConversationImported')
    expect(imported).toHaveLength(25)
    const appended = ticks.flatMap((t) => t.events).filter((e) => e.name === 'v1.MessagesAppended')
    expect(appended.flatMap((e) => (e.args as { messages: readonly unknown[] }).messages)).toHaveLength(75)
    // Each tick's events carry its end of the feed, and the ends only grow.
    for (const tick of ticks)
      for (const event of tick.events) expect((event.args as { sqlSeq: number }).sqlSeq).toBe(tick.lastSeq)
    expect(ticks.map((t) => t.lastSeq)).toEqual([...ticks.map((t) => t.lastSeq)].sort((a, b) => a - b))
  })

  it('count an outside writer’s flag changes exactly: three events each, three conversations a tick', async () => {
    const repo = scratch.open()
    await repo.write('import', (w) => w.upsertConversations(ids(7).map((id) => conversationInput(id))))
    const [imported] = await allTicks(repo)
    await sql`UPDATE conversations SET title = 'Renamed', starred = 1, archived = 1`.execute(repo.db)
    const ticks = await allTicks(repo, imported?.lastSeq)
    expect(ticks.map((t) => t.events.length)).toEqual([9, 9, 3])
    expect(new Set(ticks.flatMap((t) => t.events).map((e) => e.name))).toEqual(
      new Set(['v1.ConversationRenamed', 'v1.ConversationStarred', 'v1.ConversationArchived']),
    )
  })

  it('cut a tick again when new rows carry flags the feed does not show (bad input: a SQL insert with flags set)', async () => {
    const repo = scratch.open()
    for (const id of ids(6))
      await sql`INSERT INTO conversations (id, source, source_id, title, created_at, updated_at, last_activity_at,
        starred, archived, tags, deleted_at)
        VALUES (${id}, 'roo', ${id}, ${id}, 1, 1, 1, 1, 1, '["x"]', 5)`.execute(repo.db)
    const ticks = await allTicks(repo)
    for (const tick of ticks) expect(tick.events.length).toBeLessThanOrEqual(MAX_EVENTS_PER_TICK)
    const events = ticks.flatMap((t) => t.events)
    expect(events).toHaveLength(30)
    expect(events.filter((e) => e.name === 'v1.ConversationImported')).toHaveLength(6)
  })
})
