/** Search ranking, cursor pages, hostile input, and the query plan (the index is used, messages never scanned). */
import BetterSqlite3 from 'better-sqlite3'
import { Kysely, SqliteDialect, type CompiledQuery } from 'kysely'
import { beforeEach, describe, expect, it } from 'vitest'
import type { SearchHit } from '../../../shared/domain'
import { encodeCursor } from '../cursor'
import type { Database } from '../database-schema'
import type { Repository } from '../repository'
import { useScratch } from '../test-support/scratch'
import { seedSearchDataset } from '../test-support/search-dataset'
import { searchRepository } from './full-text-search'

const scratch = useScratch()
let repo: Repository

beforeEach(async () => {
  repo = scratch.open()
  await seedSearchDataset(repo)
})

async function hits(query: string, limit = 200): Promise<readonly SearchHit[]> {
  const result = await repo.search(query, { limit })
  if (!result.ok) throw new Error(`${query}: ${result.error.code}`)
  return result.value.hits
}

const label = (h: SearchHit): string => h.messageId ?? `title:${h.conversationId}`

describe('ranking', () => {
  it('orders by bm25: the message with the word four times comes before those with it once', async () => {
    const all = await hits('widget')
    const messages = all.filter((h) => h.kind === 'message')
    expect(messages[0]?.messageId).toBe('widgets-0')
    expect(messages.map((h) => h.score)[0]).toBeLessThan(messages.at(-1)!.score)
  })

  it('returns hits in score order, equal scores (identical messages) in a stable order', async () => {
    const all = await hits('widget')
    const scores = all.map((h) => h.score)
    expect(scores).toEqual([...scores].sort((a, b) => a - b))
    const twins = all.filter((h) => h.messageId === 'widgets-4' || h.messageId === 'widgets-5')
    expect(twins.map((h) => h.score)).toEqual([twins[0]!.score, twins[0]!.score])
    expect(twins.map(label)).toEqual(['widgets-4', 'widgets-5'])
  })
})

describe('cursor pages', () => {
  async function walk(query: string, limit: number): Promise<{ labels: string[]; pages: number }> {
    const labels: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const result = await repo.search(query, { limit, cursor })
      if (!result.ok) throw new Error(result.error.code)
      labels.push(...result.value.hits.map(label))
      cursor = result.value.nextCursor
      pages += 1
    } while (cursor && pages < 50)
    return { labels, pages }
  }

  it('covers all 7 hits exactly once, in rank order, two at a time', async () => {
    const everything = (await hits('widget')).map(label)
    expect(everything).toHaveLength(7)
    const { labels, pages } = await walk('widget', 2)
    expect(labels).toEqual(everything)
    expect(new Set(labels).size).toBe(labels.length)
    expect(pages).toBe(4)
  })

  it('pages one hit at a time, with a filter, and ends with a null cursor', async () => {
    const everything = (await hits('widget role:user')).map(label)
    expect([...everything].sort()).toEqual(['widgets-0', 'widgets-2', 'widgets-4'])
    const { labels, pages } = await walk('widget role:user', 1)
    expect(labels).toEqual(everything)
    expect(pages).toBe(3)
  })

  it.each([
    ['not base64 json', 'not-a-cursor!'],
    ['wrong arity', encodeCursor([1, 2])],
    ['score not a number', encodeCursor(['x', 'message', 1])],
    ['unknown kind', encodeCursor([0, 'bogus', 1])],
    ['pk not a number', encodeCursor([0, 'title', '1'])],
    ['a list cursor', encodeCursor([1_700_000_000_000, 'c1'])],
  ])('refuses a cursor that is %s: INVALID_CURSOR', async (_, cursor) => {
    const result = await repo.search('widget', { cursor })
    expect(result).toEqual({
      ok: false,
      error: { code: 'INVALID_CURSOR', message: expect.stringMatching(/first page/) },
    })
  })
})

describe('hostile or malformed queries', () => {
  const QUERY_ERRORS = ['EMPTY_QUERY', 'QUERY_TOO_LONG', 'TOO_MANY_TERMS', 'INVALID_FILTER']

  it.each([
    'widget "unbalanced',
    '"',
    'NEAR(a b)',
    'NEAR(widget cache, 2)',
    'a AND OR',
    'widget OR NOT',
    '*',
    '**widget',
    'widget*',
    '^x',
    '^widget',
    'col:widget',
    'messages_fts:widget',
    "widget'); DROP TABLE messages; --",
    '{widget cache}',
    '-',
    'widget ' + '"'.repeat(501),
    'x'.repeat(10_000),
    'widget '.repeat(40),
  ])('%j answers with hits or a clear query error, never an exception or SEARCH_FAILED', async (query) => {
    const result = await repo.search(query)
    if (!result.ok) expect(QUERY_ERRORS).toContain(result.error.code)
    expect(
      await repo.db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst(),
    ).toEqual({
      n: 16,
    })
  })

  it('finds the literal words of an operator-laden query', async () => {
    expect((await hits('^widget')).length).toBe(7)
    expect((await hits('**widget')).length).toBe(7)
    expect((await hits('{widget cache}')).map(label).sort()).toEqual(['widgets-0', 'widgets-1'])
  })
})

describe('query plan', () => {
  it('reads matches from the FTS indexes and reaches messages and conversations by key, never by scan', async () => {
    const sqlite = new BetterSqlite3(repo.file, { readonly: true })
    scratch.defer(() => sqlite.close())
    const captured: CompiledQuery[] = []
    const db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: sqlite }),
      log: (event) => void (event.level === 'query' && captured.push(event.query)),
    })
    const queries = [
      'widget',
      'widget source:cline workspace:srv model:gpt after:2024 before:2026',
      'widget role:user',
    ]
    for (const query of queries) {
      const first = await searchRepository(db, query, { limit: 2 })
      if (first.ok && first.value.nextCursor)
        await searchRepository(db, query, { limit: 2, cursor: first.value.nextCursor })
    }
    expect(captured.length).toBeGreaterThanOrEqual(queries.length * 2)
    for (const query of captured) {
      const plan = sqlite.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...query.parameters) as {
        detail: string
      }[]
      const details = plan.map((row) => row.detail)
      expect(details.filter((d) => /^SCAN (m|c|messages|conversations)( |$)/.test(d))).toEqual([])
      expect(
        details.some((d) => /^SCAN (messages|conversations)_fts VIRTUAL TABLE INDEX \d+:=?M/.test(d)),
      ).toBe(true)
    }
  })
})
