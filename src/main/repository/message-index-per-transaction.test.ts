/**
 * Migration 0013: a write through the repository indexes its new messages in one statement before it commits,
 * instead of FTS5 writing a segment at every statement. The index must stay exactly the messages' text whatever
 * the transaction does to its own rows, and writes made elsewhere must still be indexed at once.
 */
import BetterSqlite3 from 'better-sqlite3'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import type { Repository } from './repository'
import { useScratch } from './test-support/scratch'
import { conversationInput } from './test-support/inputs'
import type { MessageInput } from './writes'

const scratch = useScratch()

const message = (conversationId: string, ordinal: number, text: string): MessageInput => ({
  id: `${conversationId}-m${ordinal}`,
  conversationId,
  ordinal,
  role: 'user',
  createdAt: 1_000 + ordinal,
  text,
})

/** The ids of the messages the index finds for `query`, sorted. */
function found(repo: Repository, query: string): string[] {
  const db = new BetterSqlite3(repo.file, { readonly: true })
  try {
    return (
      db
        .prepare(
          `SELECT m.id FROM messages_fts JOIN messages m ON m.pk = messages_fts.rowid
           WHERE messages_fts MATCH ? ORDER BY m.id`,
        )
        .pluck()
        .all(query) as string[]
    ).sort()
  } finally {
    db.close()
  }
}

/** FTS5 compares every index entry with the content table's text; it throws on any difference. */
async function expectIndexExact(repo: Repository): Promise<void> {
  await sql`INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)`.execute(repo.db)
}

const segments = async (repo: Repository): Promise<number> =>
  (await sql<{ n: number }>`SELECT count(DISTINCT segid) AS n FROM messages_fts_idx`.execute(repo.db)).rows[0]
    ?.n ?? 0

describe('the message index, written once per transaction', () => {
  it('gives the messages of one write, however many statements wrote them, one segment', async () => {
    const repo = scratch.open()
    await repo.write('import', async (w) => {
      for (let c = 0; c < 20; c++) {
        await w.upsertConversations([conversationInput(`c${c}`)])
        await w.upsertMessages(
          Array.from({ length: 30 }, (_, n) => message(`c${c}`, n, `ticket ${c} note ${n} kubernetes`)),
        )
      }
    })
    // Written statement by statement, the index had a segment per conversation (FTS5 flushes at each savepoint).
    expect(await segments(repo)).toBe(1)
    expect(found(repo, 'kubernetes')).toHaveLength(600)
    expect(found(repo, 'ku*')).toHaveLength(600)
    await expectIndexExact(repo)
  })

  it('stays exact when the write changes and deletes its own new rows, and older rows, before it commits', async () => {
    const repo = scratch.open()
    await repo.write('import', async (w) => {
      await w.upsertConversations([conversationInput('c1')])
      await w.upsertMessages([message('c1', 0, 'older alpha'), message('c1', 1, 'older bravo')])
    })
    await repo.write('import', async (w, trx) => {
      await w.upsertMessages([message('c1', 2, 'fresh charlie'), message('c1', 3, 'fresh delta')])
      // A new row's text changed and another new row removed within the write; an older row changed too.
      await w.upsertMessages([message('c1', 2, 'fresh echo'), message('c1', 0, 'older foxtrot')])
      await trx.deleteFrom('messages').where('id', '=', 'c1-m3').execute()
      await trx.deleteFrom('messages').where('id', '=', 'c1-m1').execute()
    })
    expect(found(repo, 'charlie')).toEqual([])
    expect(found(repo, 'delta')).toEqual([])
    expect(found(repo, 'echo')).toEqual(['c1-m2'])
    expect(found(repo, 'alpha')).toEqual([])
    expect(found(repo, 'foxtrot')).toEqual(['c1-m0'])
    expect(found(repo, 'bravo')).toEqual([])
    expect(found(repo, 'older')).toEqual(['c1-m0'])
    await expectIndexExact(repo)
  })

  it('leaves nothing behind when the write fails, and the next write is indexed', async () => {
    const repo = scratch.open()
    await expect(
      repo.write('import', async (w) => {
        await w.upsertConversations([conversationInput('c1')])
        await w.upsertMessages([message('c1', 0, 'rolled back golf')])
        throw new Error('the source went away')
      }),
    ).rejects.toThrow('the source went away')
    expect(found(repo, 'golf')).toEqual([])
    const mark = await sql<{ fts_from: number | null }>`SELECT fts_from FROM write_origin`.execute(repo.db)
    expect(mark.rows).toEqual([{ fts_from: null }])
    await repo.write('import', async (w) => {
      await w.upsertConversations([conversationInput('c1')])
      await w.upsertMessages([message('c1', 0, 'kept hotel')])
    })
    expect(found(repo, 'hotel')).toEqual(['c1-m0'])
    await expectIndexExact(repo)
  })

  it('indexes at once what another connection writes without the repository', async () => {
    const repo = scratch.open()
    await repo.write('import', (w) => w.upsertConversations([conversationInput('c1')]))
    const other = new BetterSqlite3(repo.file)
    try {
      other
        .prepare(
          `INSERT INTO messages (id, conversation_id, ordinal, role, kind, text, content, metadata)
           VALUES ('x1', 'c1', 0, 'user', 'text', 'india juliet', NULL, '{}')`,
        )
        .run()
      expect(found(repo, 'juliet')).toEqual(['x1'])
      other.prepare(`UPDATE messages SET text = 'kilo' WHERE id = 'x1'`).run()
      expect(found(repo, 'juliet')).toEqual([])
      expect(found(repo, 'kilo')).toEqual(['x1'])
    } finally {
      other.close()
    }
    await expectIndexExact(repo)
  })
})
