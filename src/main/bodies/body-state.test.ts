/**
 * A message's body state in its own column (migration 0020), so its metadata travels with its body: the rows 0017
 * marked in their metadata are moved without events, and the upload queue's triggers follow the column. Each case
 * names the writer it tries: the migration, an import over a fetched body or a preview, a metadata-only change, and
 * the downloader's own write (origin 'sync').
 */
import { join } from 'node:path'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import type { Repository } from '../repository/repository'
import { sqliteMigrations } from '../repository/sqlite/migrations'
import { openSqlite } from '../repository/sqlite/open-sqlite'
import { useScratch } from '../repository/test-support/scratch'
import type { MessageInput } from '../repository/writes'
import { BODY_ELSEWHERE, BODY_FETCHED, countBodiesToFetch } from './body-locations'

const scratch = useScratch()

const CONVERSATION = { id: 'c', source: 'claude-code', sourceId: 'c', title: 'C', createdAt: 1 } as const
const message = (ordinal: number, text: string, metadata?: Record<string, unknown>): MessageInput => ({
  id: `c#${ordinal}`,
  conversationId: 'c',
  ordinal,
  role: 'assistant',
  text,
  ...(metadata && { metadata }),
})

const importMessages = (repository: Repository, messages: MessageInput[]) =>
  repository.write('import', async (w) => {
    await w.upsertConversations([CONVERSATION])
    await w.upsertMessages(messages)
  })

const queued = async (repository: Repository) =>
  (
    await repository.db.selectFrom('bodies_to_store').select('message_id').orderBy('message_id').execute()
  ).map((row) => row.message_id)

const states = async (repository: Repository) =>
  repository.db.selectFrom('messages').select(['id', 'body_state', 'metadata']).orderBy('ordinal').execute()

describe('migration 0020', () => {
  it("moves 0017's marks out of the metadata without a trace in the change feed, queueing nothing new", () => {
    const file = join(scratch.dir(), 'chronicle.sqlite')
    const before = openSqlite({ file, migrations: sqliteMigrations.slice(0, 19) })
    before.exec(`INSERT INTO conversations (id, source, source_id, created_at, updated_at, last_activity_at)
      VALUES ('c', 'claude-code', 'c', 1, 1, 1)`)
    const insert = before.prepare(
      `INSERT INTO messages (id, conversation_id, ordinal, role, text, metadata) VALUES (?, 'c', ?, 'user', 'x', ?)`,
    )
    insert.run('c#0', 0, '{"model":"opus"}')
    insert.run('c#1', 1, '{"bodyOnDevice":true}')
    insert.run('c#2', 2, '{"bodyFrom":"sync"}')
    const changesBefore = before.prepare('SELECT max(seq) FROM changes').pluck().get() as number
    before.close()

    const after = openSqlite({ file, migrations: sqliteMigrations })
    scratch.defer(() => after.close())
    expect(after.prepare('SELECT id, body_state, metadata FROM messages ORDER BY ordinal').all()).toEqual([
      { id: 'c#0', body_state: null, metadata: '{"model":"opus"}' },
      { id: 'c#1', body_state: BODY_ELSEWHERE, metadata: '{}' },
      { id: 'c#2', body_state: BODY_FETCHED, metadata: '{}' },
    ])
    // The move is no change for the bridge to make events of, and leaves nothing in the feed; later writers are 'sql'.
    expect(after.prepare('SELECT count(*) FROM changes WHERE seq > ?').pluck().get(changesBefore)).toBe(0)
    expect(after.prepare('SELECT origin FROM write_origin').pluck().get()).toBe('sql')
    expect(after.prepare('SELECT message_id FROM bodies_to_store').pluck().all()).toEqual(['c#0'])
    const plan = after
      .prepare(`EXPLAIN QUERY PLAN SELECT count(*) FROM messages WHERE body_state = 'elsewhere'`)
      .all() as { detail: string }[]
    expect(plan.map((row) => row.detail).join()).toContain('messages_bodies_to_fetch')
    expect(() =>
      after.prepare(`UPDATE messages SET body_state = 'somewhere' WHERE id = 'c#0'`).run(),
    ).toThrow(/CHECK constraint/)
  })
})

describe('the upload queue and the body state', () => {
  it('queues a body again when only its metadata changes, since the metadata travels in it', async () => {
    const repository = scratch.open()
    await importMessages(repository, [message(0, 'answer', { model: 'sonnet' })])
    await repository.db.deleteFrom('bodies_to_store').execute()
    await importMessages(repository, [message(0, 'answer', { model: 'sonnet' })])
    expect(await queued(repository)).toEqual([])
    await importMessages(repository, [message(0, 'answer', { model: 'opus' })])
    expect(await queued(repository)).toEqual(['c#0'])
  })

  it("leaves a fetched body out of the queue, and makes it this machine's own when an import writes it", async () => {
    const repository = scratch.open()
    await repository.write('sync', async (_w, trx) => {
      await sql`INSERT INTO conversations (id, source, source_id, created_at, updated_at, last_activity_at)
        VALUES ('c', 'claude-code', 'c', 1, 1, 1)`.execute(trx)
      await trx
        .insertInto('messages')
        .values([
          {
            id: 'c#0',
            conversation_id: 'c',
            ordinal: 0,
            role: 'assistant',
            kind: 'text',
            text: 'whole',
            metadata: '{}',
            body_state: BODY_FETCHED,
          },
          {
            id: 'c#1',
            conversation_id: 'c',
            ordinal: 1,
            role: 'assistant',
            kind: 'text',
            text: 'prev',
            metadata: '{}',
            body_state: BODY_ELSEWHERE,
          },
        ])
        .execute()
      // The downloader's write: the body's metadata lands, the row stays out of the queue.
      await trx
        .updateTable('messages')
        .set({ metadata: '{"model":"opus"}' })
        .where('id', '=', 'c#0')
        .execute()
    })
    expect(await queued(repository)).toEqual([])
    expect(await countBodiesToFetch(repository.db)).toBe(1)

    // The same session imported here too: the fetched body, unchanged, is now this machine's (stored already by
    // the other machine, so not queued); the preview becomes the whole text, queued to be stored.
    await importMessages(repository, [message(0, 'whole', { model: 'opus' }), message(1, 'previewed whole')])
    expect(await states(repository)).toEqual([
      { id: 'c#0', body_state: null, metadata: '{"model":"opus"}' },
      { id: 'c#1', body_state: null, metadata: '{}' },
    ])
    expect(await queued(repository)).toEqual(['c#1'])
    expect(await countBodiesToFetch(repository.db)).toBe(0)
  })
})
