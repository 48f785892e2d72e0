/** The hand-written fixture export through the adapter: what a user sees after importing it. */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useScratch } from '../../../repository/test-support/scratch'
import { UnitReadError, type ImportedConversation } from '../../source-adapter'
import { chatGptAdapter } from './index'
import { byId, collect, FIXTURE, fixtureConversations, readAll, readOne, writeExport } from './test-exports'

const scratch = useScratch()

const RECURSION = '6650f1a2-3b4c-8001-9d2e-aa11bb22cc33'
const SALES = '6651a0b3-77de-8001-b1c2-0f9e8d7c6b5a'
const RAMEN = '6652bb00-1234-8001-aaaa-ffffeeee0003'

const rolesOf = (c: ImportedConversation) => c.messages.map((m) => `${m.role}/${m.kind}`)

function countRoles(c: ImportedConversation): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const m of c.messages) counts[m.role] = (counts[m.role] ?? 0) + 1
  return counts
}

describe('chatGptAdapter on the fixture export', () => {
  it('reads the three conversations in file order, with dense ordinals and ids from their node ids', async () => {
    const { conversations: read, problems } = await readOne(FIXTURE)
    expect(problems).toEqual([])
    expect(read.map((c) => c.conversation.id)).toEqual([RECURSION, SALES, RAMEN].map((id) => `chatgpt:${id}`))
    for (const { conversation, messages } of read) {
      expect(conversation.source).toBe('chatgpt')
      expect(messages.map((m) => m.ordinal)).toEqual(messages.map((_, i) => i))
      expect(messages.map((m) => m.id)).toEqual(
        messages.map((m) => `${conversation.id}#${m.metadata?.nodeId as string}`),
      )
      expect(new Set(messages.map((m) => m.conversationId))).toEqual(new Set([conversation.id]))
    }
  })

  it('keeps the active thread only, and counts the branches it leaves out', async () => {
    const { conversation, messages } = byId(await readAll(FIXTURE), RECURSION)
    expect(messages.map((m) => m.metadata?.nodeId)).toEqual(['usr-1a', 'ast-1a', 'usr-2a-edit', 'ast-3a'])
    expect(messages[2]?.text).toBe('What stops the recursion, and what happens without it?')
    expect(rolesOf({ conversation, messages })).toEqual([
      'user/text',
      'assistant/text',
      'user/text',
      'assistant/text',
    ])
    // gpt-4 wrote only the regenerated answer, which is off the thread.
    expect(conversation.model).toBe('gpt-4o')
    expect(countRoles({ conversation, messages })).toEqual({ user: 2, assistant: 2 })
    expect(conversation.metadata).toMatchObject({
      format: 'chatgpt-export',
      currentNode: 'ast-3a',
      emptyMessagesSkipped: 1,
      branches: { offThreadNodes: 4, offThreadMessages: 4, forks: 2 },
      memory_scope: 'global_enabled',
    })
    const branches = conversation.metadata?.branches as { offThreadNodeIds: string[] }
    expect([...branches.offThreadNodeIds].sort()).toEqual(['ast-1a-old', 'ast-2a', 'usr-2a', 'usr-2a-old'])
  })

  it('converts epoch seconds (floats) to epoch milliseconds', async () => {
    const { conversation, messages } = byId(await readAll(FIXTURE), RECURSION)
    expect(conversation).toMatchObject({
      title: 'Recursion explained',
      createdAt: 1_716_580_000_000,
      updatedAt: 1_716_580_190_500,
      lastActivityAt: 1_716_580_186_000,
    })
    expect(messages.map((m) => m.createdAt)).toEqual([
      1_716_580_000_512, 1_716_580_061_750, 1_716_580_180_250, 1_716_580_186_000,
    ])
  })

  it('maps images, code, tool output and tool calls', async () => {
    const sales = byId(await readAll(FIXTURE), SALES)
    expect(rolesOf(sales)).toEqual([
      'user/text',
      'assistant/tool_call',
      'tool/tool_result',
      'assistant/tool_call',
      'tool/tool_result',
      'assistant/text',
    ])
    const [image, code, output, search] = sales.messages
    expect(image?.text).toBe(
      '[image, 200 KB]\n\nHere is a chart of our monthly sales. Compute the average growth rate.',
    )
    expect(image?.content).toMatchObject({
      content_type: 'multimodal_text',
      parts: [
        { asset_pointer: 'file-service://file-Ab12Cd34Ef56Gh78', size_bytes: 204800 },
        expect.any(String),
      ],
    })
    expect(code?.text).toMatch(/^python import numpy as np\n/)
    expect(code?.metadata).toMatchObject({ recipient: 'python', modelSlug: 'gpt-4o', contentType: 'code' })
    expect(output).toMatchObject({ text: '0.10213675213675214', metadata: { authorName: 'python' } })
    expect(search?.text).toBe('web {"query": "average retail sales growth 2024"}')
    // Two assistant messages by gpt-4o, one by gpt-4o-mini.
    expect(sales.conversation.model).toBe('gpt-4o')
    expect(countRoles(sales)).toEqual({ user: 1, assistant: 3, tool: 2 })
  })

  it('titles an untitled conversation from its first prompt and keeps non-Latin text, reasoning and unknown types', async () => {
    const ramen = byId(await readAll(FIXTURE), RAMEN)
    expect(ramen.conversation).toMatchObject({ title: '東京でおすすめのラーメン屋は？', model: 'o3' })
    expect(ramen.conversation.metadata).toMatchObject({ is_archived: true })
    expect(rolesOf(ramen)).toEqual([
      'system/text',
      'user/text',
      'assistant/thinking',
      'assistant/thinking',
      'assistant/text',
      'assistant/unknown',
    ])
    // Custom instructions are hidden context: kept, as system, with the author it really had.
    expect(ramen.messages[0]).toMatchObject({
      text: expect.stringContaining('東京在住のエンジニア') as string,
      metadata: { hidden: true, authorRole: 'user' },
    })
    expect(ramen.messages[2]?.text).toBe('予算を考える\n\n千円以内のラーメン屋を探す。')
    expect(ramen.messages[4]?.text).toContain('Привет и مرحبا')
    expect(ramen.messages[5]).toMatchObject({
      text: '[canvas_snapshot_v9]',
      content: { content_type: 'canvas_snapshot_v9', document: { title: 'ラーメン地図', version: 2 } },
    })
  })
})

describe('chatGptAdapter.findUnits', () => {
  it('finds conversations.json and export zips in a folder and one level below, by name only', async () => {
    const root = scratch.dir()
    const json = writeExport(root, fixtureConversations())
    const zips = ['a-export.zip', 'nested/b-export.ZIP'].map((name) => writeExport(root, 'not read', name))
    writeExport(root, 'x', '._a-export.zip')
    writeExport(root, 'x', 'chat.html')
    writeExport(root, 'x', 'deeper/still/c-export.zip')
    const units = await collect(chatGptAdapter.findUnits(root))
    expect(units.map((u) => u.key)).toEqual([zips[0], json, zips[1]])
    expect(units[1]).toEqual({ key: json, source: 'chatgpt', files: [json] })
  })

  it('takes a named JSON or zip file at its word, and reports a root that does not exist', async () => {
    const root = scratch.dir()
    const renamed = writeExport(root, [], 'my-chatgpt-2024.json')
    expect((await collect(chatGptAdapter.findUnits(renamed))).map((u) => u.key)).toEqual([renamed])
    expect(await collect(chatGptAdapter.findUnits(writeExport(root, 'x', 'notes.txt')))).toEqual([])
    mkdirSync(join(root, 'empty'))
    expect(await collect(chatGptAdapter.findUnits(join(root, 'empty')))).toEqual([])
    await expect(collect(chatGptAdapter.findUnits(join(root, 'missing')))).rejects.toBeInstanceOf(
      UnitReadError,
    )
  })

  it('reads an empty export as no conversations', async () => {
    expect(await readAll(writeExport(scratch.dir(), []))).toEqual([])
  })
})
