/**
 * Messages are named by their mapping node ids, so every export of a conversation names a message alike, and a
 * read's `updatedAt` says how recent the export is. (The engine's merge of such reads is in export-merge.test.ts.)
 */
import { describe, expect, it } from 'vitest'
import { useScratch } from '../../../repository/test-support/scratch'
import { CONVERSATION, fragmentExport, newerExport, olderExport } from './export-copies'
import { readOne, writeExport } from './test-exports'

const scratch = useScratch()

async function readConversation(conversation: unknown) {
  const { conversations, problems } = await readOne(writeExport(scratch.dir(), [conversation]))
  expect(problems).toEqual([])
  const [read] = conversations
  if (!read) throw new Error('no conversation')
  return read
}

const ids = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `chatgpt:${CONVERSATION}#n${from + i}`)

describe('message ids from node ids', () => {
  // Bad input for positional ids: an earlier export (two turns fewer) and a fragment (n4 … n7 only). Today's code
  // named messages by position, so the fragment's first message had the id of the conversation's first message.
  it('names the same message alike in a newer export, an older one and a fragment', async () => {
    const newer = await readConversation(newerExport())
    const older = await readConversation(olderExport())
    const fragment = await readConversation(fragmentExport())
    expect(newer.messages.map((m) => m.id)).toEqual(ids(0, 15))
    expect(older.messages.map((m) => m.id)).toEqual(ids(0, 11))
    expect(fragment.messages.map((m) => m.id)).toEqual(ids(4, 7))
    // What each read holds of a message is the same message under the same id.
    const byId = new Map(newer.messages.map((m) => [m.id, m.text]))
    for (const m of [...older.messages, ...fragment.messages]) expect(m.text).toBe(byId.get(m.id))
    // Ordinals are positions on each read's own thread.
    for (const read of [newer, older, fragment])
      expect(read.messages.map((m) => m.ordinal)).toEqual(read.messages.map((_, i) => i))
  })

  // Bad input: node ids that are empty, huge, or hold control characters.
  it('names a message whose node id is not a plain token by a hash of it, the same in every read', async () => {
    const conversation = newerExport()
    const mapping = conversation.mapping as Record<string, { parent: string | null; children: string[] }>
    const odd = ['', 'x'.repeat(500), 'line\nbreak']
    odd.forEach((id, i) => {
      mapping[id] = {
        ...(mapping[`n${i}`] as { parent: string | null; children: string[] }),
      }
      delete mapping[`n${i}`]
    })
    // Relink: n0 → '', n1 → 'xxx…', n2 → 'line\nbreak'.
    const renamed = (id: string | null) => (id?.match(/^n[012]$/) ? (odd[Number(id[1])] as string) : id)
    for (const node of Object.values(mapping)) {
      node.parent = renamed(node.parent)
      node.children = node.children.map((c) => renamed(c) as string)
    }
    const first = await readConversation(conversation)
    const again = await readConversation(conversation)
    const keys = first.messages.slice(0, 3).map((m) => m.id.slice(`chatgpt:${CONVERSATION}#`.length))
    for (const key of keys) expect(key).toMatch(/^node-[0-9a-f]{32}$/)
    expect(new Set(keys).size).toBe(3)
    expect(again.messages.map((m) => m.id)).toEqual(first.messages.map((m) => m.id))
    expect(first.messages[3]?.id).toBe(`chatgpt:${CONVERSATION}#n3`)
  })
})

describe('updatedAt of a read', () => {
  it("is the export's own update_time", async () => {
    expect((await readConversation(newerExport())).conversation.updatedAt).toBe(1_700_000_015_500)
    expect((await readConversation(olderExport())).conversation.updatedAt).toBe(1_700_000_011_500)
  })

  // Bad input: exports without update_time; the newest message on the thread dates them.
  it('is the newest message on the thread when update_time is missing, so the older export is still older', async () => {
    const newer = await readConversation(newerExport(false))
    const older = await readConversation(olderExport(false))
    expect(newer.conversation.updatedAt).toBe(1_700_000_015_000)
    expect(older.conversation.updatedAt).toBe(1_700_000_011_000)
    expect((await readConversation(fragmentExport(false))).conversation.updatedAt).toBe(1_700_000_007_000)
  })
})
