/**
 * Find in one conversation, through the API dispatcher on a real SQLite file: which messages match, in order,
 * with their occurrences, kept to the one conversation, and what bad input gets back.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import type { ConversationFind } from '../../shared/api/contract'
import { makeDispatcher, type ApiDispatcher } from '../api/handlers'
import type { Repository } from './repository'
import { useScratch } from './test-support/scratch'
import type { MessageInput } from './writes'

const scratch = useScratch()
let repo: Repository
let dispatch: ApiDispatcher

/** Every 40th message of the long conversation mentions the migration, twice in every 80th. */
const LONG = 600
const mentions = (ordinal: number): number => (ordinal % 80 === 0 ? 2 : ordinal % 40 === 0 ? 1 : 0)

function longMessage(conversationId: string, ordinal: number): MessageInput {
  const n = mentions(ordinal)
  const text =
    n === 2
      ? `Migración ${ordinal}: the MIGRACION of the pool is done.`
      : n === 1
        ? `Step ${ordinal} of the migración, the pool is warm.`
        : `Step ${ordinal}: nothing to report about the pool.`
  return {
    id: `${conversationId}#${ordinal}`,
    conversationId,
    ordinal,
    role: ordinal % 2 ? 'assistant' : 'user',
    text,
  }
}

beforeEach(async () => {
  repo = scratch.open()
  await repo.write('import', async (w) => {
    await w.upsertConversations([
      { id: 'long', source: 'roo', sourceId: 'long', title: 'A long migration', createdAt: 1_000 },
      { id: 'other', source: 'cline', sourceId: 'other', title: 'Another', createdAt: 2_000 },
      { id: 'empty', source: 'roo', sourceId: 'empty', title: 'Nothing yet', createdAt: 3_000 },
    ])
    // Written interleaved, so the other conversation's messages lie inside the long one's rowid range.
    for (let ordinal = 0; ordinal < LONG; ordinal++) {
      await w.upsertMessages([longMessage('long', ordinal), longMessage('other', ordinal)])
    }
  })
  dispatch = makeDispatcher(repo, () => {})
})

async function find(args: Record<string, unknown>): Promise<ConversationFind> {
  const result = await dispatch('findInConversation', args)
  if (!result.ok) throw new Error(`${JSON.stringify(args)}: ${result.error.code} ${result.error.message}`)
  return result.value as ConversationFind
}

describe('findInConversation', () => {
  it('lists the matching messages of one conversation in order, with their occurrences, accents ignored', async () => {
    const found = await find({ conversationId: 'long', query: 'migracion' })
    const expected = Array.from({ length: LONG }, (_, ordinal) => ordinal).filter((o) => mentions(o) > 0)
    expect(found.matches.map((m) => m.ordinal)).toEqual(expected)
    expect(found.matches.every((m) => m.messageId.startsWith('long#'))).toBe(true)
    expect(found.matches.slice(0, 3)).toEqual([
      { messageId: 'long#0', ordinal: 0, count: 2 },
      { messageId: 'long#40', ordinal: 40, count: 1 },
      { messageId: 'long#80', ordinal: 80, count: 2 },
    ])
    expect(found.total).toBe(expected.reduce((sum, o) => sum + mentions(o), 0))
    expect(found.truncated).toBe(false)
  })

  it('counts every word of the query, and respects exclusions, phrases, prefixes and the role filter', async () => {
    // "pool" is in every message; with "migración" the message must hold both, and both are counted.
    const both = await find({ conversationId: 'long', query: 'pool MIGRACIÓN' })
    expect(both.matches[1]).toEqual({ messageId: 'long#40', ordinal: 40, count: 2 })
    expect(both.matches).toHaveLength(15)

    const excluded = await find({ conversationId: 'long', query: 'migracion -warm' })
    expect(excluded.matches.map((m) => m.ordinal)).toEqual([0, 80, 160, 240, 320, 400, 480, 560])

    expect((await find({ conversationId: 'long', query: '"pool is done"' })).total).toBe(8)
    expect((await find({ conversationId: 'long', query: '"done pool"' })).total).toBe(0)
    expect((await find({ conversationId: 'long', query: 'migr*' })).total).toBe(23)

    const assistant = await find({ conversationId: 'long', query: 'report role:assistant' })
    expect(assistant.matches.every((m) => m.ordinal % 2 === 1)).toBe(true)
    expect(assistant.matches).toHaveLength(LONG / 2)
  })

  it('reads the last word as a prefix while it is being typed, and as written once a space ends it', async () => {
    expect((await find({ conversationId: 'long', query: 'migra', asYouType: true })).total).toBe(23)
    // One letter has no postings of its own: asked of the conversation's messages in the scratch index.
    expect((await find({ conversationId: 'long', query: 'm', asYouType: true })).total).toBe(23)
    expect((await find({ conversationId: 'long', query: 'w*' })).total).toBe(7)
    expect((await find({ conversationId: 'long', query: 'pool -w*' })).matches).toHaveLength(LONG - 7)
    expect((await find({ conversationId: 'long', query: 'migra ', asYouType: true })).total).toBe(0)
    expect((await find({ conversationId: 'long', query: 'migra' })).total).toBe(0)
  })

  it('asks a one-letter prefix about the conversation as it is now, after its text changed in place', async () => {
    expect((await find({ conversationId: 'long', query: 'm*' })).total).toBe(23)
    await repo.write('import', (w) =>
      w.upsertMessages([{ ...longMessage('long', 1), text: 'Mango and melon' }]),
    )
    const after = await find({ conversationId: 'long', query: 'm*' })
    expect(after.total).toBe(25)
    expect(after.matches[1]).toEqual({ messageId: 'long#1', ordinal: 1, count: 2 })
  })

  it('finds nothing when the conversation does not pass a conversation filter, or has no messages', async () => {
    expect(await find({ conversationId: 'long', query: 'migracion source:cline' })).toEqual({
      matches: [],
      total: 0,
      truncated: false,
    })
    expect((await find({ conversationId: 'other', query: 'migracion source:cline' })).matches).toHaveLength(
      15,
    )
    expect(await find({ conversationId: 'empty', query: 'pool' })).toEqual({
      matches: [],
      total: 0,
      truncated: false,
    })
  })

  it('stops at the limit and says the list is cut', async () => {
    const found = await find({ conversationId: 'long', query: 'pool', limit: 10 })
    expect(found.matches.map((m) => m.ordinal)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(found.truncated).toBe(true)
  })

  it('sees a message written after the conversation was first searched', async () => {
    await repo.write('import', (w) =>
      w.upsertMessages([
        { id: 'long#600', conversationId: 'long', ordinal: 600, role: 'user', text: 'última migración' },
      ]),
    )
    const found = await find({ conversationId: 'long', query: 'ultima migracion' })
    expect(found.matches).toEqual([{ messageId: 'long#600', ordinal: 600, count: 2 }])
  })
})

describe('findInConversation refuses bad input with a clear error', () => {
  it.each([
    [
      'an unknown conversation',
      { conversationId: 'nope', query: 'pool' },
      'NOT_FOUND',
      'not in the repository',
    ],
    ['an empty query', { conversationId: 'long', query: '   ' }, 'EMPTY_QUERY', 'Type a word'],
    ['only an exclusion', { conversationId: 'long', query: '-pool' }, 'EMPTY_QUERY', 'Add at least one word'],
    ['a bad filter', { conversationId: 'long', query: 'pool role:robot' }, 'INVALID_FILTER', 'role:robot'],
    ['no conversation id', { query: 'pool' }, 'INVALID_ARGUMENTS', 'args.conversationId must be'],
    [
      'a query that is not a string',
      { conversationId: 'long', query: 42 },
      'INVALID_ARGUMENTS',
      'args.query must be',
    ],
    [
      'a limit of 0',
      { conversationId: 'long', query: 'pool', limit: 0 },
      'INVALID_ARGUMENTS',
      'args.limit must be',
    ],
    [
      'an unknown field',
      { conversationId: 'long', query: 'pool', cursor: 'x' },
      'INVALID_ARGUMENTS',
      'args.cursor',
    ],
  ])('%s', async (_, args, code, message) => {
    expect(await dispatch('findInConversation', args)).toEqual({
      ok: false,
      error: { code, message: expect.stringContaining(message) },
    })
  })
})
