/**
 * Migration 0018 on real SQLite files: which message refers to which kept image, and the image's location released
 * (so its pack is queued for removal from the worker) when the last message that refers to it goes. Bad input: a
 * content that is not JSON although it names a sha256, and image-like objects that are not images.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { sqliteMigrations } from '../repository/sqlite/migrations'
import { openSqlite } from '../repository/sqlite/open-sqlite'
import { useScratch } from '../repository/test-support/scratch'
import type { Repository } from '../repository/repository'
import { imageLocation, imagesReferencedBy, recordImageLocations } from './image-locations'

const scratch = useScratch()
const PACK = 'a'.repeat(64)
const SHOT = '1'.repeat(64)
const DIAGRAM = '2'.repeat(64)
const CONVERSATION = 'claude-code:with-images'
const location = { bodyAddress: 'c'.repeat(64), offset: 45, length: 10 }

const image = (sha256: string) => ({ type: 'image', omitted: true, mediaType: 'image/png', bytes: 9, sha256 })
/** A tool result holds its image in its own blocks, as import/message-content.ts writes it. */
const toolResultWith = (sha256: string) => [
  { type: 'tool_result', toolUseId: 't1', content: [{ type: 'text', text: 'the page' }, image(sha256)] },
]

async function importMessages(repository: Repository, contents: readonly unknown[][]): Promise<void> {
  await repository.write('import', async (w) => {
    await w.upsertConversations([
      { id: CONVERSATION, source: 'claude-code', sourceId: 'with-images', title: 'Images', createdAt: 1 },
    ])
    await w.upsertMessages(
      contents.map((content, ordinal) => ({
        id: `${CONVERSATION}#${ordinal}`,
        conversationId: CONVERSATION,
        ordinal,
        role: 'user' as const,
        createdAt: 1 + ordinal,
        text: `message ${ordinal}`,
        content: content as never,
      })),
    )
  })
}

const references = async (repository: Repository) =>
  (
    await repository.db
      .selectFrom('message_images')
      .select(['message_id', 'sha256'])
      .orderBy('message_id')
      .orderBy('sha256')
      .execute()
  ).map((row) => `${row.message_id.split('#')[1]}:${row.sha256.slice(0, 1)}`)

const queuedPacks = async (repository: Repository) =>
  (await repository.db.selectFrom('packs_to_remove').select('pack_address').execute()).map(
    (row) => row.pack_address,
  )

describe('message_images (migration 0018)', () => {
  it('knows the images a message refers to, as imagesReferencedBy reads them, wherever they sit', async () => {
    const repository = scratch.open()
    const contents = [
      [{ type: 'text', text: 'look' }, image(SHOT)],
      toolResultWith(DIAGRAM),
      // Not images: a document with a sha256, an image whose sha256 is not 64 hex digits, a sha256 in the text.
      [
        { type: 'document', sha256: SHOT },
        { ...image(SHOT), sha256: 'Z'.repeat(64) },
        { type: 'text', text: `"sha256": "${SHOT}"` },
      ],
      [image(SHOT), image(SHOT), image(DIAGRAM)],
    ]
    await importMessages(repository, contents)
    expect(await references(repository)).toEqual(['0:1', '1:2', '3:1', '3:2'])
    for (const [ordinal, content] of contents.entries())
      expect(
        imagesReferencedBy(JSON.stringify(content)).map((sha) => `${ordinal}:${sha.slice(0, 1)}`),
      ).toEqual((await references(repository)).filter((ref) => ref.startsWith(`${ordinal}:`)))
  })

  it('releases an image, and so its pack, when the last message that refers to it goes', async () => {
    const repository = scratch.open()
    await importMessages(repository, [[image(SHOT)], toolResultWith(SHOT), [image(DIAGRAM)]])
    await recordImageLocations(repository.db, PACK, [{ sha256: SHOT, ...location }])

    // One of two messages goes: the image is still referred to.
    await repository.write('ui', (_w, trx) => trx.deleteFrom('messages').where('ordinal', '=', 0).execute())
    expect(await imageLocation(repository.db, SHOT)).toBeDefined()
    expect(await queuedPacks(repository)).toEqual([])

    // The conversation purged (messages go by cascade): the image's location and the pack's last reference go.
    await repository.write('ui', (_w, trx) =>
      trx.deleteFrom('conversations').where('id', '=', CONVERSATION).execute(),
    )
    expect(await references(repository)).toEqual([])
    expect(await imageLocation(repository.db, SHOT)).toBeUndefined()
    expect(await queuedPacks(repository)).toEqual([PACK])
  })

  it('follows a changed content: an image kept stays located, an image dropped is released', async () => {
    const repository = scratch.open()
    await importMessages(repository, [[image(SHOT), image(DIAGRAM)]])
    await recordImageLocations(repository.db, PACK, [
      { sha256: SHOT, ...location },
      { sha256: DIAGRAM, ...location, offset: 99 },
    ])
    // Re-imported changed: the screenshot is still there (its rows are not dropped and re-made), the diagram is not.
    await importMessages(repository, [[{ type: 'text', text: 'edited' }, image(SHOT)]])
    expect(await references(repository)).toEqual(['0:1'])
    expect(await imageLocation(repository.db, SHOT)).toBeDefined()
    expect(await imageLocation(repository.db, DIAGRAM)).toBeUndefined()
    expect(await queuedPacks(repository)).toEqual([])

    // Bad input: a content damaged into text that is not JSON but names a sha256 is written, and refers to nothing.
    const damaged = `{"type":"image","sha256":"${SHOT}"`
    await repository.write('import', (_w, trx) =>
      trx.updateTable('messages').set({ content: damaged }).where('ordinal', '=', 0).execute(),
    )
    const row = await repository.db.selectFrom('messages').select('content').executeTakeFirst()
    expect(row?.content).toBe(damaged)
    expect(await references(repository)).toEqual([])
    expect(await queuedPacks(repository)).toEqual([PACK])
  })

  it('fills in the references of the messages a library held before the migration', async () => {
    const file = join(scratch.dir(), 'chronicle.sqlite')
    const before = openSqlite({ file, migrations: sqliteMigrations.slice(0, 17) })
    before.exec(`INSERT INTO conversations (id, source, source_id, title, created_at, updated_at, last_activity_at)
      VALUES ('c', 'claude-code', 'c', 'old', 1, 1, 1)`)
    const insert = before.prepare(`INSERT INTO messages (id, conversation_id, ordinal, role, content)
      VALUES (?, 'c', ?, 'user', ?)`)
    insert.run('c#0', 0, JSON.stringify(toolResultWith(SHOT)))
    insert.run('c#1', 1, `not json "sha256"`)
    insert.run('c#2', 2, null)
    before.close()

    const after = openSqlite({ file, migrations: sqliteMigrations })
    scratch.defer(() => after.close())
    expect(after.prepare('SELECT message_id, sha256 FROM message_images').all()).toEqual([
      { message_id: 'c#0', sha256: SHOT },
    ])
  })
})
