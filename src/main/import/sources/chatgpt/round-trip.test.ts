/** The fixture export written into a real repository, and the import engine over an export still being copied. */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useScratch } from '../../../repository/test-support/scratch'
import { importSources } from '../../import-engine'
import { chatGptAdapter } from './index'
import { FIXTURE, fixtureConversations, readAll, writeExport } from './test-exports'
import { changeCount, writeImported } from '../../test-support/repository-helpers'

const scratch = useScratch()

const write = writeImported

describe('ChatGPT export round trip', () => {
  it('writes the fixture, reads it back, finds non-Latin text, and a second write appends no change', async () => {
    const repo = scratch.open()
    await write(repo, await readAll(FIXTURE))
    const after = await changeCount(repo)
    expect(after).toBe(3 + 4 + 6 + 6)

    const read = await repo.getConversation('chatgpt:6651a0b3-77de-8001-b1c2-0f9e8d7c6b5a')
    if (!read.ok || !read.value) throw new Error('conversation not found')
    expect(read.value.conversation).toMatchObject({
      source: 'chatgpt',
      title: 'Sales growth analysis',
      model: 'gpt-4o',
      createdAt: 1_717_000_000_000,
      messageCount: 6,
    })
    expect(read.value.messages.items.map((m) => [m.role, m.kind])).toEqual([
      ['user', 'text'],
      ['assistant', 'tool_call'],
      ['tool', 'tool_result'],
      ['assistant', 'tool_call'],
      ['tool', 'tool_result'],
      ['assistant', 'text'],
    ])
    const search = await repo.search('ラーメン')
    expect(search.ok && search.value.hits.map((h) => h.conversationId)).toContain(
      'chatgpt:6652bb00-1234-8001-aaaa-ffffeeee0003',
    )

    await write(repo, await readAll(FIXTURE))
    expect(await changeCount(repo)).toBe(after)
  })

  it('imports what is complete of an export being copied, and the rest once the copy is done', async () => {
    const repo = scratch.open()
    const dir = scratch.dir()
    const text = JSON.stringify(fixtureConversations())
    const path = writeExport(dir, text.slice(0, text.indexOf('6652bb00-1234')))
    const target = { path: dir, adapter: chatGptAdapter }

    // Bad input: the export cut inside its third conversation. Today's engine imported the first two and listed
    // no problem. (Needs the engine to report the problems a read returns.)
    const first = await importSources(repo, [target])
    expect(first.conversations.added).toBe(2)
    expect(first.problems).toEqual([
      {
        path,
        reason:
          'ends abruptly after 2 complete conversations (probably still being written); ' +
          'imported the 2 conversations before it',
        retryable: true,
      },
    ])

    // Empty so far: retried, nothing written.
    const empty = join(scratch.dir(), 'conversations.json')
    writeFileSync(empty, '')
    const pending = await importSources(repo, [{ path: empty, adapter: chatGptAdapter }])
    expect(pending.problems).toEqual([
      { path: empty, reason: 'is empty (probably still being written)', retryable: true },
    ])

    // Retryable: read again although the file has not changed, and still listed.
    const again = await importSources(repo, [target])
    expect(again).toMatchObject({ unitsRead: 1, problems: first.problems })

    writeFileSync(path, text)
    const second = await importSources(repo, [target])
    // The two conversations read whole from the cut file are the same ones: only the third is new.
    expect(second.conversations).toMatchObject({ added: 1, updated: 0, unchanged: 2 })
    expect(second.problems).toEqual([])
    expect(first.conversations.added + second.conversations.added).toBe(3)

    const third = await importSources(repo, [target])
    expect(third).toMatchObject({ unitsRead: 0, unitsUnchanged: 1 })
  })
})
