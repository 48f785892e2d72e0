/** Exports that are cut short, corrupt, or hold elements that must not be imported as they are. */
import { describe, expect, it } from 'vitest'
import { useScratch } from '../../../repository/test-support/scratch'
import { UnitReadError } from '../../source-adapter'
import { readExport } from './read-export'
import { fixtureConversations, linearConversation, readAll, writeExport } from './test-exports'

const scratch = useScratch()

const failure = (path: string) => readAll(path).catch((e: unknown) => e)

describe('a conversations.json that is cut short', () => {
  const text = JSON.stringify(fixtureConversations())
  // Cut inside the third conversation, as a copy or download in progress leaves it.
  const cut = text.slice(0, text.indexOf('6652bb00-1234') + 5)

  it('imports the complete conversations and notes the truncation on each', async () => {
    const read = await readAll(writeExport(scratch.dir(), cut))
    expect(read).toHaveLength(2)
    for (const { conversation } of read)
      expect(conversation.metadata?.importProblems).toEqual([
        'conversations.json ends abruptly after 2 complete conversations (probably still being written)',
      ])
    expect(read[0]?.messages).toHaveLength(4)
  })

  it('is retried when not even one conversation is complete', async () => {
    for (const partial of [text.slice(0, 500), '', '[\n']) {
      const error = await failure(writeExport(scratch.dir(), partial))
      expect(error).toBeInstanceOf(UnitReadError)
      expect(error).toMatchObject({ retryable: true })
    }
  })
})

describe('a file that is not an export', () => {
  it('refuses binary junk', async () => {
    const junk = Uint8Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256)
    expect(await failure(writeExport(scratch.dir(), junk))).toMatchObject({
      reason: expect.stringMatching(/binary data/) as string,
      retryable: false,
    })
  })

  it('refuses JSON that is not an array', async () => {
    const path = writeExport(scratch.dir(), { conversations: fixtureConversations() })
    const error = await failure(path)
    expect(error).toBeInstanceOf(UnitReadError)
    expect(error).toMatchObject({
      path,
      reason: 'is a JSON object, not the array of conversations an export holds',
      retryable: false,
    })
  })

  it('refuses an array without a single conversation in it', async () => {
    expect(await failure(writeExport(scratch.dir(), [1, 'two', { id: 'x' }]))).toMatchObject({
      reason: expect.stringMatching(
        /^holds no conversation that can be imported: conversation 0 is not a conversation/,
      ) as string,
      retryable: false,
    })
  })

  it('keeps what came before corruption in the middle, and says so', async () => {
    const good = JSON.stringify(linearConversation('good-1', 1))
    const read = await readAll(writeExport(scratch.dir(), `[${good} {"id": "next"}]`))
    expect(read.map((c) => c.conversation.sourceId)).toEqual(['good-1'])
    expect(read[0]?.conversation.metadata?.importProblems).toEqual([
      expect.stringMatching(
        /^conversations\.json is not valid JSON after 1 complete conversation \(offset \d+\)$/,
      ),
    ])
  })
})

describe('elements that are skipped, with the others imported', () => {
  it('skips ids that could name a path or are not plain tokens, and reports each', async () => {
    const bad = ['../../etc/passwd', 'a\\b', 'tab\there', 'x'.repeat(201), '', 42]
    const elements = [
      linearConversation('ok-1', 1),
      ...bad.map((id) => ({ ...linearConversation('placeholder', 1), id })),
      linearConversation('ok-2', 2),
    ]
    const read = await readAll(writeExport(scratch.dir(), elements))
    expect(read.map((c) => c.conversation.id)).toEqual(['chatgpt:ok-1', 'chatgpt:ok-2'])
    const problems = read[0]?.conversation.metadata?.importProblems as string[]
    expect(problems).toHaveLength(bad.length)
    expect(problems[0]).toBe(
      'conversation 1 has an id with path separators or control characters ("../../etc/passwd"): skipped',
    )
    expect(problems.slice(3)).toEqual([
      expect.stringMatching(/^conversation 4 has an id longer than 200 characters/),
      'conversation 5 has no id: skipped',
      'conversation 6 has no id: skipped',
    ])
    expect(read[1]?.conversation.metadata?.importProblems).toEqual(problems)
  })

  it('skips a repeated id and an element over the size limit', async () => {
    const big = linearConversation('big', 1, () => 'x'.repeat(20_000))
    const path = writeExport(scratch.dir(), [linearConversation('a', 1), big, linearConversation('a', 2)])
    const read = await readExport(path, { maxElementBytes: 10_000 })
    expect(read.map((c) => [c.conversation.sourceId, c.messages.length])).toEqual([['a', 2]])
    expect(read[0]?.conversation.metadata?.importProblems).toEqual([
      'conversation 1 is 40 KB, over the 10 KB limit: skipped',
      'conversation 2 repeats id a: skipped',
    ])
  })
})

describe('broken message trees', () => {
  it('stops at a cycle in the parent links and reports it', async () => {
    const looped = linearConversation('loop', 2) as { mapping: Record<string, { parent: string | null }> }
    // n0 → n1 → n2 → n3, and n0's parent now points back at n2.
    ;(looped.mapping.n0 as { parent: string }).parent = 'n2'
    const [read] = await readAll(writeExport(scratch.dir(), [looped]))
    expect(read?.messages.map((m) => m.metadata?.nodeId)).toEqual(['n0', 'n1', 'n2', 'n3'])
    expect(read?.conversation.metadata).toMatchObject({
      threadProblems: ['parent links loop at node n2'],
      branches: { offThreadNodes: 1, offThreadNodeIds: ['root'] },
    })
  })

  it('stops at a missing parent, and guesses the newest leaf when current_node is missing', async () => {
    const orphan = linearConversation('orphan', 2) as {
      mapping: Record<string, unknown>
      current_node: string
    }
    delete orphan.mapping.n1
    orphan.current_node = 'gone'
    const [read] = await readAll(writeExport(scratch.dir(), [orphan]))
    expect(read?.messages.map((m) => m.metadata?.nodeId)).toEqual(['n2', 'n3'])
    expect(read?.conversation.metadata?.threadProblems).toEqual([
      'current_node gone is not in the mapping',
      'node n1 is missing from the mapping',
    ])
  })
})
