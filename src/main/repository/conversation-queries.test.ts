/** Browsing: list sorts, filters and keyset pages (ties included), one conversation's messages, and stats. */
import { beforeEach, describe, expect, it } from 'vitest'
import type { ConversationSummary } from '../../shared/domain'
import {
  CONVERSATION_SORTS,
  type ConversationSort,
  type ListConversationsQuery,
} from './conversation-queries'
import { encodeCursor } from './cursor'
import type { Repository } from './repository'
import { useScratch } from './test-support/scratch'
import type { ConversationInput, MessageInput } from './writes'

const scratch = useScratch()
let repo: Repository

type Row = [
  string,
  ConversationInput['source'],
  string | null,
  string | null,
  number,
  number,
  number,
  number,
  number,
  string,
]
// prettier-ignore
const ROWS: Row[] = [
  // id     source         workspace  model   created lastActivity tokensIn tokensOut cost  title
  ['c01', 'roo',         '/w/app', 'm-a',  1000, 5000, 10,  5,  0.5,  'Alpha'],
  ['c02', 'roo',         '/w/app', 'm-b',  2000, 5000, 5,   10, 0.5,  'alpha'],
  ['c03', 'cline',       '/w/lib', 'm-a',  3000, 4000, 100, 0,  1.25, 'beta'],
  ['c04', 'cline',       null,     null,   4000, 7000, 0,   0,  0,    'Gamma'],
  ['c05', 'claude-code', '/w/app', 'm-a',  5000, 5000, 15,  0,  2,    'delta'],
  ['c06', 'chatgpt',     '/w/lib', 'm-b',  6000, 6000, 1,   1,  0.5,  ''],
  ['c07', 'roo',         '/w/app', 'm-a',  7000, 8000, 50,  50, 3,    'Epsilon'],
  ['c08', 'roo',         '/w/app', 'm-a',  8000, 9000, 1,   2,  0.1,  'zeta'],
  ['c09', 'roo',         '/w/app', 'm-a',  9000, 9500, 1,   1,  7,    'deleted one'],
]
const conversations: ConversationInput[] = ROWS.map(
  ([id, source, workspace, model, createdAt, lastActivityAt, tokensIn, tokensOut, cost, title]) => ({
    id,
    source,
    sourceId: `src-${id}`,
    workspace,
    model,
    createdAt,
    lastActivityAt,
    tokensIn,
    tokensOut,
    cost,
    title,
  }),
)
/** Messages per conversation: c01 has 3, c03 has 1, deleted c09 has 2. */
const MESSAGE_COUNTS: Record<string, number> = { c01: 3, c03: 1, c09: 2 }
const messages: MessageInput[] = Object.entries(MESSAGE_COUNTS).flatMap(([conversationId, n]) =>
  Array.from({ length: n }, (_, ordinal) => ({
    id: `${conversationId}-m${ordinal}`,
    conversationId,
    ordinal,
    role: 'user' as const,
    text: `message ${ordinal}`,
  })),
)

beforeEach(async () => {
  repo = scratch.open()
  await repo.write('import', async (w) => {
    await w.upsertConversations(conversations)
    await w.upsertMessages(messages)
  })
  await repo.db.updateTable('conversations').set({ starred: 1 }).where('id', '=', 'c07').execute()
  await repo.db.updateTable('conversations').set({ archived: 1 }).where('id', '=', 'c08').execute()
  await repo.db.updateTable('conversations').set({ deleted_at: 9_999 }).where('id', '=', 'c09').execute()
})

async function list(query: ListConversationsQuery = {}): Promise<string[]> {
  const result = await repo.listConversations({ limit: 500, ...query })
  if (!result.ok) throw new Error(result.error.code)
  return result.value.items.map((c) => c.id)
}

async function walk(query: ListConversationsQuery): Promise<string[]> {
  const ids: string[] = []
  let cursor: string | null = null
  for (let page = 0; page < 50; page++) {
    const result = await repo.listConversations({ ...query, cursor })
    if (!result.ok) throw new Error(result.error.code)
    expect(result.value.items.length).toBeLessThanOrEqual(query.limit ?? 50)
    ids.push(...result.value.items.map((c) => c.id))
    cursor = result.value.nextCursor
    if (!cursor) break
  }
  return ids
}

/** The specified order, computed independently: sort value (title without ASCII case), then id, both in `direction`. */
const SORT_VALUE: Record<ConversationSort, (c: ConversationInput) => number | string> = {
  lastActivity: (c) => c.lastActivityAt!,
  created: (c) => c.createdAt,
  cost: (c) => c.cost!,
  tokens: (c) => c.tokensIn! + c.tokensOut!,
  title: (c) => c.title.toLowerCase(),
}
function expectedOrder(sort: ConversationSort, direction: 'asc' | 'desc'): string[] {
  const sign = direction === 'asc' ? 1 : -1
  const compare = (a: number | string, b: number | string): number => (a < b ? -1 : a > b ? 1 : 0)
  return conversations
    .filter((c) => c.id !== 'c09')
    .sort((a, b) => sign * (compare(SORT_VALUE[sort](a), SORT_VALUE[sort](b)) || compare(a.id, b.id)))
    .map((c) => c.id)
}

describe('listConversations: sorts', () => {
  it('defaults to the most recent activity first, ties by id, deleted left out', async () => {
    expect(await list()).toEqual(['c08', 'c07', 'c04', 'c06', 'c05', 'c02', 'c01', 'c03'])
  })

  it('defaults title to A to Z (ignoring case) and the numeric sorts to largest first', async () => {
    expect(await list({ sort: 'title' })).toEqual(['c06', 'c01', 'c02', 'c03', 'c05', 'c07', 'c04', 'c08'])
    expect(await list({ sort: 'cost' })).toEqual(['c07', 'c05', 'c03', 'c06', 'c02', 'c01', 'c08', 'c04'])
    expect(await list({ sort: 'tokens' })).toEqual(['c07', 'c03', 'c05', 'c02', 'c01', 'c08', 'c06', 'c04'])
  })

  for (const sort of CONVERSATION_SORTS) {
    for (const direction of ['asc', 'desc'] as const) {
      it(`${sort} ${direction}: one page and pages of 2 both give the specified order, each row once`, async () => {
        const expected = expectedOrder(sort, direction)
        expect(await list({ sort, direction })).toEqual(expected)
        const walked = await walk({ sort, direction, limit: 2 })
        expect(walked).toEqual(expected)
        expect(new Set(walked).size).toBe(walked.length)
      })
    }
  }
})

describe('listConversations: filters', () => {
  it.each<[ListConversationsQuery, string[]]>([
    [{ source: 'roo' }, ['c01', 'c02', 'c07', 'c08']],
    [{ source: 'roo', includeDeleted: true }, ['c01', 'c02', 'c07', 'c08', 'c09']],
    [{ workspace: '/w/lib' }, ['c03', 'c06']],
    [{ workspace: '/w' }, []],
    [{ model: 'm-b' }, ['c02', 'c06']],
    [{ starred: true }, ['c07']],
    [{ archived: true }, ['c08']],
    [{ archived: false, source: 'roo' }, ['c01', 'c02', 'c07']],
    [{ starred: false, model: 'm-a', workspace: '/w/app' }, ['c01', 'c05', 'c08']],
  ])('%j keeps exactly %j', async (filter, expected) => {
    expect((await list(filter)).sort()).toEqual(expected)
  })

  it('pages through a filtered list without leaking other rows', async () => {
    expect(await walk({ source: 'roo', sort: 'created', direction: 'asc', limit: 1 })).toEqual([
      'c01',
      'c02',
      'c07',
      'c08',
    ])
  })

  it('summaries carry flags, tags, message counts and null workspace/model as stored', async () => {
    const result = await repo.listConversations({ sort: 'created', direction: 'asc', includeDeleted: true })
    const byId = new Map(
      result.ok ? result.value.items.map((c): [string, ConversationSummary] => [c.id, c]) : [],
    )
    expect(byId.get('c01')).toMatchObject({
      messageCount: 3,
      starred: false,
      tags: [],
      tokensIn: 10,
      cost: 0.5,
    })
    expect(byId.get('c04')).toMatchObject({ workspace: null, model: null, messageCount: 0 })
    expect(byId.get('c07')).toMatchObject({ starred: true, archived: false })
    expect(byId.get('c09')).toMatchObject({ deletedAt: 9_999, messageCount: 2 })
  })
})

describe('listConversations: bad cursors', () => {
  it.each([
    ['garbage', '%%%'],
    ['base64 of non-JSON', Buffer.from('nope').toString('base64url')],
    ['wrong arity', encodeCursor([5000])],
    ['an object', Buffer.from('{"a":1}').toString('base64url')],
  ])('refuses %s with INVALID_CURSOR', async (_, cursor) => {
    expect(await repo.listConversations({ cursor })).toEqual({
      ok: false,
      error: { code: 'INVALID_CURSOR', message: expect.stringMatching(/first page/) },
    })
  })
})

describe('getConversation', () => {
  const content = {
    type: 'tool_use',
    name: 'edit',
    input: { path: 'src/数据.ts', lines: [1, 2], dry: false, note: null },
  }

  beforeEach(async () => {
    // Written out of order: reading must put them in ordinal order.
    await repo.write('import', (w) =>
      w.upsertMessages(
        [4, 0, 2, 1, 3].map((ordinal) => ({
          id: `c04-m${ordinal}`,
          conversationId: 'c04',
          ordinal,
          role: ordinal % 2 ? 'assistant' : 'user',
          text: `第${ordinal}步：迁移数据库 step ${ordinal}`,
          content: ordinal === 2 ? content : undefined,
          metadata: { n: ordinal },
        })),
      ),
    )
  })

  it('pages messages in ordinal order and ends with a null cursor', async () => {
    const ordinals: number[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const result = await repo.getConversation('c04', { limit: 2, cursor })
      if (!result.ok || !result.value) throw new Error('expected the conversation')
      expect(result.value.conversation).toMatchObject({ id: 'c04', title: 'Gamma', messageCount: 5 })
      ordinals.push(...result.value.messages.items.map((m) => m.ordinal))
      cursor = result.value.messages.nextCursor
      pages += 1
    } while (cursor && pages < 10)
    expect(ordinals).toEqual([0, 1, 2, 3, 4])
    expect(pages).toBe(3)
  })

  it('round-trips content JSON and metadata, and gives text back without zero-width spaces', async () => {
    const result = await repo.getConversation('c04')
    const messages = result.ok && result.value ? result.value.messages.items : []
    expect(messages.map((m) => m.content)).toEqual([null, null, content, null, null])
    expect(messages[2]).toMatchObject({
      role: 'user',
      kind: 'text',
      text: '第2步：迁移数据库 step 2',
      metadata: { n: 2 },
    })
    for (const m of messages) expect(m.text).not.toContain('\u200b')
  })

  it('answers null for an unknown id, and INVALID_CURSOR for a bad or non-numeric cursor', async () => {
    expect(await repo.getConversation('no-such-id')).toEqual({ ok: true, value: null })
    for (const cursor of ['%%%', encodeCursor(['2']), encodeCursor([1, 2])]) {
      const result = await repo.getConversation('c04', { cursor })
      expect(result.ok ? null : result.error.code).toBe('INVALID_CURSOR')
    }
  })
})

describe('stats', () => {
  it('totals and groups per source, workspace and model, leaving deleted conversations out', async () => {
    const stats = await repo.stats()
    expect(stats.totals).toEqual({
      conversations: 8,
      messages: 4,
      tokensIn: 182,
      tokensOut: 68,
      cost: expect.closeTo(7.85, 9),
    })
    expect(stats.bySource).toEqual([
      {
        key: 'roo',
        conversations: 4,
        messages: 3,
        tokensIn: 66,
        tokensOut: 67,
        cost: expect.closeTo(4.1, 9),
      },
      { key: 'cline', conversations: 2, messages: 1, tokensIn: 100, tokensOut: 0, cost: 1.25 },
      { key: 'chatgpt', conversations: 1, messages: 0, tokensIn: 1, tokensOut: 1, cost: 0.5 },
      { key: 'claude-code', conversations: 1, messages: 0, tokensIn: 15, tokensOut: 0, cost: 2 },
    ])
    expect(stats.byWorkspace.map((g) => [g.key, g.conversations, g.messages])).toEqual([
      ['/w/app', 5, 3],
      ['/w/lib', 2, 1],
      ['(none)', 1, 0],
    ])
    expect(stats.byModel.map((g) => [g.key, g.conversations, g.tokensIn + g.tokensOut])).toEqual([
      ['m-a', 5, 233],
      ['m-b', 2, 17],
      ['(unknown)', 1, 0],
    ])
  })
})
