/**
 * The order in which bodies move, on a real repository: the newest conversations first, each in its messages'
 * order, at most a round's worth, both for the uploader's queue and for the downloader's previews. A queued message
 * whose conversation is not there (bad input: a row whose place names no conversation) is still read, after the
 * rest. Migration 0019 keeps each queued message's place, for the rows queued before it as well. The downloader
 * takes only previews whose body is located, and one conversation when it is asked for one (the reader opened it).
 */
import { join } from 'node:path'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import type { Repository } from '../repository/repository'
import { sqliteMigrations } from '../repository/sqlite/migrations'
import { openSqlite } from '../repository/sqlite/open-sqlite'
import { useScratch } from '../repository/test-support/scratch'
import { BODY_ELSEWHERE, bodiesToFetch, unstoredBodies } from './body-locations'

const scratch = useScratch()

/** Conversations with their last activity, and their messages' ordinals in the order they are written. */
async function write(repository: Repository, conversations: Record<string, [number, number[]]>) {
  await repository.write('import', async (_w, trx) => {
    for (const [id, [lastActivity, ordinals]] of Object.entries(conversations)) {
      await sql`INSERT INTO conversations (id, source, source_id, created_at, updated_at, last_activity_at)
        VALUES (${id}, 'claude-code', ${id}, 1, 1, ${lastActivity})`.execute(trx)
      for (const ordinal of ordinals)
        await sql`INSERT INTO messages (id, conversation_id, ordinal, role, text)
          VALUES (${`${id}#${ordinal}`}, ${id}, ${ordinal}, 'user', ${`body ${id} ${ordinal}`})`.execute(trx)
    }
  })
}

const ids = async (repository: Repository, limit: number) =>
  (await unstoredBodies(repository.db, limit)).map(({ messageId }) => messageId)

describe('the upload queue', () => {
  it('is read newest conversation first, each in its order, a round at a time', async () => {
    const repository = scratch.open()
    await write(repository, { old: [10, [1, 0]], newest: [30, [2, 0, 1]], middle: [20, [0]] })
    expect(await ids(repository, 4)).toEqual(['newest#0', 'newest#1', 'newest#2', 'middle#0'])
    expect(await ids(repository, 100)).toEqual([
      'newest#0',
      'newest#1',
      'newest#2',
      'middle#0',
      'old#0',
      'old#1',
    ])
    const [first] = await unstoredBodies(repository.db, 1)
    expect(first).toEqual({ messageId: 'newest#0', text: 'body newest 0', content: null, metadata: '{}' })
  })

  it('still reads a queued message whose place names no conversation, after the rest (bad input)', async () => {
    const repository = scratch.open()
    await write(repository, { kept: [10, [0, 1]], stray: [20, [0]] })
    await sql`UPDATE bodies_to_store SET conversation_id = 'no-such-conversation' WHERE message_id = 'stray#0'`.execute(
      repository.db,
    )
    // A full round holds only what is in order: the stray row waits until the queue is shorter than a round.
    expect(await ids(repository, 2)).toEqual(['kept#0', 'kept#1'])
    expect(await ids(repository, 10)).toEqual(['kept#0', 'kept#1', 'stray#0'])
  })

  it('knows the place of the messages queued before migration 0019', async () => {
    const file = join(scratch.dir(), 'chronicle.sqlite')
    const before = openSqlite({ file, migrations: sqliteMigrations.slice(0, 18) })
    before.exec(`INSERT INTO conversations (id, source, source_id, created_at, updated_at, last_activity_at)
      VALUES ('c', 'claude-code', 'c', 1, 1, 1)`)
    before.exec(
      `INSERT INTO messages (id, conversation_id, ordinal, role, text) VALUES ('c#3', 'c', 3, 'user', 'x')`,
    )
    before.close()

    const after = openSqlite({ file, migrations: sqliteMigrations })
    scratch.defer(() => after.close())
    after.exec(
      `INSERT INTO messages (id, conversation_id, ordinal, role, text) VALUES ('c#4', 'c', 4, 'user', 'y')`,
    )
    expect(after.prepare('SELECT message_id, conversation_id, ordinal FROM bodies_to_store').all()).toEqual([
      { message_id: 'c#3', conversation_id: 'c', ordinal: 3 },
      { message_id: 'c#4', conversation_id: 'c', ordinal: 4 },
    ])
  })
})

describe('the previews to fetch', () => {
  it('are read newest conversation first, each in its order, located ones only, one conversation when asked', async () => {
    const repository = scratch.open()
    await write(repository, { old: [10, [1, 0]], newest: [30, [2, 0, 1]], middle: [20, [0, 1]] })
    // Every message but one is a preview of another machine's (middle#0 is this machine's own), located in a pack
    // but one (newest#1, whose announcement has not come yet).
    await repository.write('sync', async (_w, trx) => {
      await sql`UPDATE messages SET body_state = ${BODY_ELSEWHERE} WHERE id != 'middle#0'`.execute(trx)
      await sql`INSERT INTO body_locations (message_id, body_address, pack_address, offset, length)
        SELECT id, 'body of ' || id, 'pack', 0, 10 FROM messages WHERE id != 'newest#1'`.execute(trx)
    })
    const fetched = async (limit: number, conversationId?: string) =>
      (await bodiesToFetch(repository.db, limit, conversationId)).map(({ messageId }) => messageId)
    expect(await fetched(3)).toEqual(['newest#0', 'newest#2', 'middle#1'])
    expect(await fetched(10)).toEqual(['newest#0', 'newest#2', 'middle#1', 'old#0', 'old#1'])
    expect(await fetched(10, 'old')).toEqual(['old#0', 'old#1'])
    const [first] = await bodiesToFetch(repository.db, 1)
    expect(first).toMatchObject({
      messageId: 'newest#0',
      bodyAddress: 'body of newest#0',
      packAddress: 'pack',
    })
  })
})
