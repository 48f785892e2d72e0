/**
 * Exports that are cut short, corrupt, or hold elements that must not be imported as they are: what is readable is
 * imported, and each thing that is not is a problem of the read (listed in the import summary), never only a note.
 */
import { describe, expect, it } from 'vitest'
import { useScratch } from '../../../repository/test-support/scratch'
import { UnitReadError } from '../../source-adapter'
import { readExport } from './read-export'
import { fixtureConversations, linearConversation, readAll, readOne, writeExport } from './test-exports'

const scratch = useScratch()

const failure = (path: string) => readAll(path).catch((e: unknown) => e)

describe('a conversations.json that is cut short', () => {
  const text = JSON.stringify(fixtureConversations())
  // Cut inside the third conversation, as a copy or download in progress leaves it.
  const cut = text.slice(0, text.indexOf('6652bb00-1234') + 5)

  // Bad input: an export cut in the middle (inside its third conversation). Today's code imported the first two
  // with no problem listed, so the import said nothing and never tried the file again.
  it('imports the complete conversations and lists the cut as a problem that is retried', async () => {
    const path = writeExport(scratch.dir(), cut)
    const { conversations, problems } = await readOne(path)
    expect(conversations).toHaveLength(2)
    expect(conversations[0]?.messages).toHaveLength(4)
    expect(problems).toEqual([
      {
        path,
        reason:
          'ends abruptly after 2 complete conversations (probably still being written); ' +
          'imported the 2 conversations before it',
        retryable: true,
      },
    ])
    // The conversations themselves are what they will be once the file is whole: nothing in them names the cut.
    for (const { conversation } of conversations)
      expect(conversation.metadata).not.toHaveProperty('importProblems')
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

  // Bad input: a file that turns into garbage after its first conversation (a missing comma, then junk).
  it('keeps what came before corruption in the middle, and lists it as a problem not retried', async () => {
    const good = JSON.stringify(linearConversation('good-1', 1))
    const path = writeExport(scratch.dir(), `[${good} {"id": "next"}]`)
    const { conversations, problems } = await readOne(path)
    expect(conversations.map((c) => c.conversation.sourceId)).toEqual(['good-1'])
    expect(problems).toEqual([
      {
        path,
        reason: expect.stringMatching(
          /^is not valid JSON after 1 complete conversation \(offset \d+\); imported the 1 conversation before it$/,
        ) as string,
        retryable: false,
      },
    ])
  })
})

describe('elements that are skipped, with the others imported, each a listed problem', () => {
  // Bad input: ids that could name a path, are not plain tokens, or are missing.
  it('skips ids that could name a path or are not plain tokens, and lists each by its index', async () => {
    const bad = ['../../etc/passwd', 'a\\b', 'tab\there', 'x'.repeat(201), '', 42]
    const elements = [
      linearConversation('ok-1', 1),
      ...bad.map((id) => ({ ...linearConversation('placeholder', 1), id })),
      linearConversation('ok-2', 2),
    ]
    const { conversations, problems } = await readOne(writeExport(scratch.dir(), elements))
    expect(conversations.map((c) => c.conversation.id)).toEqual(['chatgpt:ok-1', 'chatgpt:ok-2'])
    expect(problems).toHaveLength(bad.length)
    for (const problem of problems) {
      expect(problem.retryable).toBe(false)
      expect(problem).not.toHaveProperty('conversationId')
    }
    expect(problems[0]?.reason).toBe(
      'conversation 1 has an id with path separators or control characters ("../../etc/passwd"): skipped',
    )
    expect(problems.slice(3).map((p) => p.reason)).toEqual([
      expect.stringMatching(/^conversation 4 has an id longer than 200 characters/),
      'conversation 5 has no id: skipped',
      'conversation 6 has no id: skipped',
    ])
  })

  // Bad input: an element over the size limit (its id written last, as ChatGPT writes it), and a repeated id.
  it('skips a repeated id and an element over the size limit, naming both', async () => {
    const { id: _, ...rest } = linearConversation('big', 1, () => 'x'.repeat(20_000))
    const big = { ...rest, id: 'big' }
    const path = writeExport(scratch.dir(), [linearConversation('a', 1), big, linearConversation('a', 2)])
    const { conversations, problems } = await readExport(path, { maxElementBytes: 10_000 })
    expect(conversations.map((c) => [c.conversation.sourceId, c.messages.length])).toEqual([['a', 2]])
    expect(problems).toEqual([
      {
        path,
        reason: 'conversation 1 (big) is 40 KB, over the 10 KB limit: skipped',
        retryable: false,
        conversationId: 'chatgpt:big',
      },
      {
        path,
        reason: 'conversation 2 (a) repeats an earlier id: skipped',
        retryable: false,
        conversationId: 'chatgpt:a',
      },
    ])
  })

  // Bad input: a conversation whose mapping is a string, and one with none. Today's code dropped both with no
  // problem in the summary (a note in the other conversations' metadata only).
  it('lists a conversation whose mapping is not an object, with its id', async () => {
    const elements = [
      linearConversation('ok', 1),
      { ...linearConversation('text-mapping', 1), mapping: 'n0,n1' },
      { id: 'no-mapping', title: 'Lost?' },
      [],
    ]
    const path = writeExport(scratch.dir(), elements)
    const { conversations, problems } = await readOne(path)
    expect(conversations.map((c) => c.conversation.sourceId)).toEqual(['ok'])
    expect(problems).toEqual([
      {
        path,
        reason: 'conversation 1 (text-mapping) has a message mapping that is not an object: skipped',
        retryable: false,
        conversationId: 'chatgpt:text-mapping',
      },
      {
        path,
        reason: 'conversation 2 (no-mapping) has no message mapping: skipped',
        retryable: false,
        conversationId: 'chatgpt:no-mapping',
      },
      { path, reason: 'conversation 3 is not a conversation (not an object): skipped', retryable: false },
    ])
  })

  // Bad input: 150 elements that are not conversations beside one that is.
  it('lists the first 100 problems of an export and counts the rest', async () => {
    const path = writeExport(scratch.dir(), [linearConversation('ok', 1), ...Array<number>(150).fill(7)])
    const { problems } = await readOne(path)
    expect(problems).toHaveLength(101)
    expect(problems.at(-1)).toEqual({ path, reason: '… and 50 more problems', retryable: false })
  })
})
