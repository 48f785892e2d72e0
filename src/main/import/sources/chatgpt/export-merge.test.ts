/**
 * Exports of one conversation imported into a real repository in every order: nothing the user had is lost, and
 * the title comes from the newest export. These need the engine's merge by message id (import-engine.ts).
 */
import { describe, expect, it } from 'vitest'
import type { Repository } from '../../../repository/repository'
import { useScratch } from '../../../repository/test-support/scratch'
import { importSources } from '../../import-engine'
import { CONVERSATION, fragmentExport, NEWER_TITLE, newerExport, olderExport } from './export-copies'
import { writeImported } from '../../test-support/repository-helpers'
import { chatGptAdapter } from './index'
import { FIXTURE, readAll, writeExport } from './test-exports'

const scratch = useScratch()

async function importExport(repo: Repository, conversation: unknown) {
  const path = writeExport(scratch.dir(), [conversation])
  const summary = await importSources(repo, [{ path, adapter: chatGptAdapter }])
  expect(summary.problems).toEqual([])
  return summary
}

async function stored(repo: Repository) {
  const read = await repo.getConversation(`chatgpt:${CONVERSATION}`, { limit: 100 })
  if (!read.ok || !read.value) throw new Error('conversation not stored')
  const { conversation, messages } = read.value
  return {
    title: conversation.title,
    nodes: messages.items.map((m) => m.id.split('#')[1]),
    gone: messages.items.filter((m) => m.leftSourceAt !== null).map((m) => m.id.split('#')[1]),
  }
}

const nodes = (count: number) => Array.from({ length: count }, (_, i) => `n${i}`)

describe('exports of one conversation, merged by message id', () => {
  // Bad input: an older export (two turns fewer, another title) after the newer one. Today's engine removed the
  // two turns, and the newer export then said "unchanged" and did not bring them back.
  it('keeps the turns and the title of the newer export when an older one is imported after it', async () => {
    const repo = scratch.open()
    await importExport(repo, newerExport())
    await importExport(repo, olderExport())
    expect(await stored(repo)).toEqual({ title: NEWER_TITLE, nodes: nodes(16), gone: [] })
    await importExport(repo, newerExport())
    expect(await stored(repo)).toEqual({ title: NEWER_TITLE, nodes: nodes(16), gone: [] })
  })

  // Bad input: a fragment of the conversation (n4 … n7, titled "Fragment") from another export. Today it replaced
  // all 16 messages and renamed the conversation.
  it('keeps every message and the title when a fragment of the conversation is imported', async () => {
    const repo = scratch.open()
    await importExport(repo, newerExport())
    await importExport(repo, fragmentExport())
    expect(await stored(repo)).toEqual({ title: NEWER_TITLE, nodes: nodes(16), gone: [] })
  })

  // The other order: the newer export adds the two turns and takes its title, also without update_time.
  it('adds the newer turns and title after an older export', async () => {
    for (const withUpdateTime of [true, false]) {
      const repo = scratch.open()
      await importExport(repo, olderExport(withUpdateTime))
      expect((await stored(repo)).nodes).toEqual(nodes(12))
      await importExport(repo, newerExport(withUpdateTime))
      expect(await stored(repo)).toEqual({ title: NEWER_TITLE, nodes: nodes(16), gone: [] })
    }
  })

  // Bad input for an upgrade: the fixture as the earlier adapter wrote it, each message named by its position.
  it('takes over the messages an earlier import named by position, without showing any twice', async () => {
    const repo = scratch.open()
    const positional = (await readAll(FIXTURE)).map((c) => ({
      ...c,
      messages: c.messages.map((m) => ({ ...m, id: `${c.conversation.id}#${m.ordinal}` })),
    }))
    await writeImported(repo, positional)
    await importSources(repo, [{ path: FIXTURE, adapter: chatGptAdapter }])
    const rows = await repo.db.selectFrom('messages').select(['id', 'left_source_at']).execute()
    expect(rows).toHaveLength(4 + 6 + 6)
    for (const row of rows) {
      expect(row.id).not.toMatch(/#\d+$/)
      expect(row.left_source_at).toBeNull()
    }
  })
})
