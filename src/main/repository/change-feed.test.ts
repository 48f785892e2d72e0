/**
 * The change feed: every insert, update and delete on conversations, messages and devices appends exactly one row
 * to `changes`, whoever writes it (this repository, a raw SQL statement, another process), and nothing else does.
 */
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import type { Repository } from './repository'
import { runNodeScript } from './test-support/child-node'
import { useScratch } from './test-support/scratch'
import type { ConversationInput, DeviceInput, MessageInput } from './writes'

const scratch = useScratch()

const conversation: ConversationInput = {
  id: 'c1',
  source: 'claude-code',
  sourceId: 'session-1',
  title: 'Fix the flaky test',
  workspace: '/home/dev/app',
  model: 'claude-sonnet-4',
  createdAt: 1_700_000_000_000,
  tokensIn: 10,
  metadata: { branch: 'main' },
}
const message: MessageInput = {
  id: 'm1',
  conversationId: 'c1',
  ordinal: 0,
  role: 'user',
  text: 'The test fails on CI',
}
const device: DeviceInput = {
  id: 'd1',
  name: 'laptop',
  platform: 'linux',
  kind: 'desktop',
  appVersion: '0.1.0',
  firstSeenAt: 5,
  lastSeenAt: 5,
}

interface ChangeRow {
  seq: number
  entity: string
  entity_id: string
  op: string
  origin: string
  at: number
  data: unknown
}

/** Rows appended after `seq`, with `data` parsed. */
async function changesAfter(repo: Repository, seq = 0): Promise<ChangeRow[]> {
  const rows = await repo.db.selectFrom('changes').selectAll().where('seq', '>', seq).orderBy('seq').execute()
  return rows.map((r) => ({ ...r, data: r.data === null ? null : (JSON.parse(r.data) as unknown) }))
}

const lastSeq = async (repo: Repository): Promise<number> => (await changesAfter(repo)).at(-1)?.seq ?? 0

const summary = (rows: readonly ChangeRow[]) =>
  rows.map(({ entity, entity_id, op, origin, data }) => ({ entity, entity_id, op, origin, data }))

async function seeded(): Promise<Repository> {
  const repo = scratch.open()
  await repo.write('import', async (w) => {
    await w.upsertConversations([conversation])
    await w.upsertMessages([message])
    await w.upsertDevice(device)
  })
  return repo
}

describe('inserts', () => {
  it('append one row per inserted conversation, message and device, origin import, seq increasing, at = now', async () => {
    const before = Date.now()
    const repo = await seeded()
    const rows = await changesAfter(repo)
    expect(summary(rows)).toEqual([
      { entity: 'conversation', entity_id: 'c1', op: 'insert', origin: 'import', data: null },
      { entity: 'message', entity_id: 'm1', op: 'insert', origin: 'import', data: { conversation_id: 'c1' } },
      { entity: 'device', entity_id: 'd1', op: 'insert', origin: 'import', data: null },
    ])
    for (const [i, row] of rows.entries()) {
      if (i > 0) expect(row.seq).toBeGreaterThan(rows[i - 1]!.seq)
      expect(row.at).toBeGreaterThanOrEqual(before - 1_000)
      expect(row.at).toBeLessThanOrEqual(Date.now() + 1_000)
    }
  })

  it('leave write_origin back at sql after the import commits, so a later raw write is origin sql', async () => {
    const repo = await seeded()
    expect(await repo.db.selectFrom('write_origin').select('origin').execute()).toEqual([{ origin: 'sql' }])
  })
})

describe('updates', () => {
  it('append one update per changed row, listing the changed columns (messages carry conversation_id)', async () => {
    const repo = await seeded()
    const seq = await lastSeq(repo)
    await repo.write('import', async (w) => {
      await w.upsertConversations([{ ...conversation, title: 'Fix the flaky test for good', tokensIn: 20 }])
      await w.upsertMessages([{ ...message, text: 'The test fails on CI, sometimes' }])
      await w.upsertDevice({ ...device, lastSeenAt: 6 })
    })
    expect(summary(await changesAfter(repo, seq))).toEqual([
      {
        entity: 'conversation',
        entity_id: 'c1',
        op: 'update',
        origin: 'import',
        data: { columns: ['title', 'tokens_in'] },
      },
      {
        entity: 'message',
        entity_id: 'm1',
        op: 'update',
        origin: 'import',
        data: { conversation_id: 'c1', columns: ['text'] },
      },
      {
        entity: 'device',
        entity_id: 'd1',
        op: 'update',
        origin: 'import',
        data: { columns: ['last_seen_at'] },
      },
    ])
  })

  it('append nothing when the same data is imported again (idempotent re-import)', async () => {
    const repo = await seeded()
    const seq = await lastSeq(repo)
    await repo.write('import', async (w) => {
      await w.upsertConversations([conversation])
      await w.upsertMessages([message])
      await w.upsertDevice(device)
    })
    expect(await changesAfter(repo, seq)).toEqual([])
  })

  it('record a raw SQL update as origin sql, and a re-import does not undo what the user set', async () => {
    const repo = await seeded()
    const seq = await lastSeq(repo)
    await repo.db
      .updateTable('conversations')
      .set({ starred: 1, tags: '["keep"]' })
      .where('id', '=', 'c1')
      .execute()
    await repo.write('import', (w) => w.upsertConversations([conversation]))
    expect(summary(await changesAfter(repo, seq))).toEqual([
      {
        entity: 'conversation',
        entity_id: 'c1',
        op: 'update',
        origin: 'sql',
        data: { columns: ['starred', 'tags'] },
      },
    ])
    const row = await repo.db
      .selectFrom('conversations')
      .select(['starred', 'tags'])
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ starred: 1, tags: '["keep"]' })
  })

  it('append nothing for a raw UPDATE that sets a column to the value it already has', async () => {
    const repo = await seeded()
    const seq = await lastSeq(repo)
    await sql`UPDATE messages SET text = text, role = role`.execute(repo.db)
    expect(await changesAfter(repo, seq)).toEqual([])
  })
})

describe('deletes', () => {
  it('append one delete per row, messages carrying their conversation_id', async () => {
    const repo = await seeded()
    const seq = await lastSeq(repo)
    await repo.db.deleteFrom('messages').where('id', '=', 'm1').execute()
    await repo.db.deleteFrom('devices').where('id', '=', 'd1').execute()
    expect(summary(await changesAfter(repo, seq))).toEqual([
      { entity: 'message', entity_id: 'm1', op: 'delete', origin: 'sql', data: { conversation_id: 'c1' } },
      { entity: 'device', entity_id: 'd1', op: 'delete', origin: 'sql', data: null },
    ])
  })

  it('record the messages a conversation delete cascades to, before the conversation itself', async () => {
    const repo = await seeded()
    await repo.write('import', (w) =>
      w.upsertMessages([{ ...message, id: 'm2', ordinal: 1, text: 'second' }]),
    )
    const seq = await lastSeq(repo)
    await repo.db.deleteFrom('conversations').where('id', '=', 'c1').execute()
    expect(await repo.db.selectFrom('messages').selectAll().execute()).toEqual([])
    expect(summary(await changesAfter(repo, seq))).toEqual([
      { entity: 'message', entity_id: 'm1', op: 'delete', origin: 'sql', data: { conversation_id: 'c1' } },
      { entity: 'message', entity_id: 'm2', op: 'delete', origin: 'sql', data: { conversation_id: 'c1' } },
      { entity: 'conversation', entity_id: 'c1', op: 'delete', origin: 'sql', data: null },
    ])
  })
})

describe('transactions', () => {
  it('a write that fails leaves no rows, no changes, and write_origin at sql', async () => {
    const repo = await seeded()
    const seq = await lastSeq(repo)
    const failing = repo.write('import', async (w) => {
      await w.upsertConversations([{ ...conversation, id: 'c2', sourceId: 'session-2' }])
      throw new Error('importer crashed')
    })
    await expect(failing).rejects.toThrow('importer crashed')
    expect(await changesAfter(repo, seq)).toEqual([])
    expect(await repo.db.selectFrom('conversations').select('id').execute()).toEqual([{ id: 'c1' }])
    expect(await repo.db.selectFrom('write_origin').select('origin').execute()).toEqual([{ origin: 'sql' }])
  })
})

// Another program with the file open: plain better-sqlite3, plain SQL, no repository code at all.
const EXTERNAL_WRITER = `
  const db = new (require('better-sqlite3'))(process.env.DB_FILE)
  db.pragma('busy_timeout = 5000')
  db.exec(\`
    INSERT INTO conversations (id, source, source_id, title, created_at, updated_at, last_activity_at)
      VALUES ('ext-1', 'cline', 'task-ext', 'Written by another process', 2000, 2000, 2000);
    INSERT INTO messages (id, conversation_id, ordinal, role, text)
      VALUES ('ext-m1', 'ext-1', 0, 'user', 'Please refactor the xylophone module');
  \`)
  db.close()`

describe('writes from another process', () => {
  it('appear in the feed read by this repository, origin sql, and are searchable', async () => {
    const repo = await seeded()
    const seq = await lastSeq(repo)
    const child = runNodeScript(EXTERNAL_WRITER, { DB_FILE: repo.file })
    expect(child).toMatchObject({ status: 0, stderr: '' })
    const rows = await changesAfter(repo, seq)
    expect(summary(rows)).toEqual([
      { entity: 'conversation', entity_id: 'ext-1', op: 'insert', origin: 'sql', data: null },
      {
        entity: 'message',
        entity_id: 'ext-m1',
        op: 'insert',
        origin: 'sql',
        data: { conversation_id: 'ext-1' },
      },
    ])
    expect(rows[0]!.seq).toBeGreaterThan(seq)
    expect(rows[0]!.at).toBeGreaterThan(Date.now() - 30_000)
    const found = await repo.search('xylophone')
    expect(found.ok && found.value.hits.map((h) => [h.conversationId, h.messageId])).toEqual([
      ['ext-1', 'ext-m1'],
    ])
  })
})
