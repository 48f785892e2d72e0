/**
 * The SQL side of the bridge on a real repository: change-feed rows of a tick become few events (one per kind
 * per conversation), with the rows' latest values, flag columns as their own events, the bridge's own writes
 * skipped (no echo), and the batch's end carried as the cursor.
 */
import { sql } from 'kysely'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import type { Repository } from '../repository/repository'
import { useScratch } from '../repository/test-support/scratch'
import { conversationInput } from '../repository/test-support/inputs'
import { readChangeBatch } from './change-batch'
import { eventsFromChanges, previewOf } from './events-from-changes'

const scratch = useScratch()

const conversation = (id: string, title = `Title ${id}`) => conversationInput(id, { title })
const message = (
  conversationId: string,
  ordinal: number,
  text = `message ${ordinal} of ${conversationId}`,
) => ({
  id: `${conversationId}#${ordinal}`,
  conversationId,
  ordinal,
  role: 'user' as const,
  text,
})

async function tick(repo: Repository, after = 0) {
  const batch = await readChangeBatch(repo.db, after, 10_000)
  if (!batch) return { lastSeq: after, events: [] }
  const events = await eventsFromChanges(repo.db, batch, 'device-1', () => 5_000)
  return { lastSeq: batch.lastSeq, events }
}

const names = (events: readonly { name: string }[]) => events.map((e) => e.name)

describe('SQL changes to events', () => {
  it('groups an import into one metadata event and one message batch per conversation', async () => {
    const repo = scratch.open()
    await repo.write('import', async (w) => {
      await w.upsertConversations([conversation('a'), conversation('b')])
      await w.upsertMessages([message('a', 0), message('a', 1), message('b', 0)])
    })
    const { lastSeq, events } = await tick(repo)
    expect(lastSeq).toBe(5)
    expect(names(events)).toEqual([
      'v1.ConversationImported',
      'v1.MessagesAppended',
      'v1.ConversationImported',
      'v1.MessagesAppended',
    ])
    expect(events[1]?.args).toMatchObject({
      conversationId: 'a',
      origin: 'import',
      actor: 'importer',
      deviceId: 'device-1',
      at: 5_000,
      sqlSeq: 5,
      messages: [
        { id: 'a#0', ordinal: 0, role: 'user', preview: 'message 0 of a' },
        { id: 'a#1', ordinal: 1 },
      ],
    })
  })

  it('sends a flag change by an outside writer as that flag, with the latest value of a row changed twice', async () => {
    const repo = scratch.open()
    await repo.write('import', (w) => w.upsertConversations([conversation('a')]))
    const { lastSeq } = await tick(repo)
    await sql`UPDATE conversations SET title = 'First' WHERE id = 'a'`.execute(repo.db)
    await sql`UPDATE conversations SET title = 'Second', starred = 1 WHERE id = 'a'`.execute(repo.db)
    const { events } = await tick(repo, lastSeq)
    expect(names(events)).toEqual(['v1.ConversationRenamed', 'v1.ConversationStarred'])
    expect(events[0]?.args).toMatchObject({ title: 'Second', origin: 'sql', actor: 'sql' })
  })

  it('makes no event of a change to what no event carries (the metadata), and moves past it', async () => {
    const repo = scratch.open()
    await repo.write('import', (w) => w.upsertConversations([conversation('a')]))
    const { lastSeq } = await tick(repo)
    // The same session imported here over the row another device's events made: only the source's details differ.
    await sql`UPDATE conversations SET metadata = '{"sourceFile":"x.jsonl"}' WHERE id = 'a'`.execute(repo.db)
    const quiet = await tick(repo, lastSeq)
    expect(quiet.events).toEqual([])
    expect(quiet.lastSeq).toBe(lastSeq + 1)
    await sql`UPDATE conversations SET metadata = '{}', model = 'opus' WHERE id = 'a'`.execute(repo.db)
    const { events } = await tick(repo, quiet.lastSeq)
    expect(names(events)).toEqual(['v1.ConversationImported'])
    expect(events[0]?.args).toMatchObject({ conversation: { id: 'a', model: 'opus' } })
  })

  it("skips the bridge's own writes but moves past them", async () => {
    const repo = scratch.open()
    await repo.write('bridge', (w) => w.upsertConversations([conversation('a')]))
    const { lastSeq, events } = await tick(repo)
    expect(events).toEqual([])
    expect(lastSeq).toBe(1)
  })

  it('reports deleted messages and a deleted conversation as purged', async () => {
    const repo = scratch.open()
    await repo.write('import', async (w) => {
      await w.upsertConversations([conversation('a'), conversation('b')])
      await w.upsertMessages([message('a', 0), message('a', 1), message('b', 0)])
    })
    const { lastSeq } = await tick(repo)
    await sql`DELETE FROM messages WHERE id = 'a#1'`.execute(repo.db)
    await sql`DELETE FROM conversations WHERE id = 'b'`.execute(repo.db)
    const { events } = await tick(repo, lastSeq)
    expect(names(events).sort()).toEqual(['v1.ConversationPurged', 'v1.MessagesDeleted'])
    expect(events.find((e) => e.name === 'v1.MessagesDeleted')?.args).toMatchObject({ ids: ['a#1'] })
  })

  it('folds a row deleted and inserted again within a tick into a change, and one made and removed into nothing', async () => {
    const repo = scratch.open()
    await repo.write('import', async (w) => {
      await w.upsertConversations([conversation('a')])
      await w.upsertMessages([message('a', 0)])
    })
    const { lastSeq } = await tick(repo)
    // Another program replaces a#0 (delete, insert) and adds a#1 only to remove it again.
    await sql`DELETE FROM messages WHERE id = 'a#0'`.execute(repo.db)
    await repo.write('cli', (w) => w.upsertMessages([message('a', 0, 'replaced'), message('a', 1)]))
    await sql`DELETE FROM messages WHERE id = 'a#1'`.execute(repo.db)
    const { events } = await tick(repo, lastSeq)
    // The other side had one message and still has one: a#0 changed, a#1 never existed for it.
    expect(names(events)).toEqual(['v1.MessagesUpdated'])
    expect(events[0]?.args).toMatchObject({ messages: [{ id: 'a#0', preview: 'replaced' }] })
  })

  it('previews are one line of at most 160 characters, without the index segmentation of CJK text', () => {
    expect(previewOf('a\n\n  b\tc')).toBe('a b c')
    expect(previewOf('x'.repeat(1_000))).toHaveLength(160)
  })

  it('a preview does not keep the longer text it was cut from in memory (LiveStore keeps events for long)', () => {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    // The bad input: message heads of 640 characters, of which a preview keeps 160.
    const heads = Array.from({ length: 20_000 }, (_, i) => `${i} ${'lorem ipsum '.repeat(60)}`.slice(0, 640))
    let previews: string[] = heads.map(previewOf)
    heads.length = 0
    const kept = () => {
      gc()
      return process.memoryUsage().heapUsed
    }
    const withPreviews = kept()
    const count = previews.length
    expect(previews[7]).toHaveLength(160)
    previews = []
    const perPreview = (withPreviews - kept()) / count
    // 160 characters and a string header; a slice would hold the 640 characters it came from.
    expect(perPreview).toBeLessThan(400)
  })
})
