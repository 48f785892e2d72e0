/** Search ranking, cursor pages, hostile input, and the query plan (the index is used, messages never scanned). */
import BetterSqlite3 from 'better-sqlite3'
import { Kysely, SqliteDialect, type CompiledQuery } from 'kysely'
import { beforeEach, describe, expect, it } from 'vitest'
import type { SearchHit } from '../../../shared/domain'
import { encodeCursor } from '../cursor'
import type { Database } from '../database-schema'
import type { Repository } from '../repository'
import { useScratch } from '../test-support/scratch'
import { hitLabel, searchAllPages, seedSearchDataset } from '../test-support/search-dataset'
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

describe('ranking', () => {
  it('orders by bm25: the message with the word four times comes before those with it once', async () => {
    const messages = await hits('widget')
    expect(messages[0]?.messageId).toBe('widgets-0')
    expect(messages.map((h) => h.score)[0]).toBeLessThan(messages.at(-1)!.score)
  })

  it('returns hits in score order, equal scores (identical messages) in a stable order', async () => {
    const all = await hits('widget')
    const scores = all.map((h) => h.score)
    expect(scores).toEqual([...scores].sort((a, b) => a - b))
    const twins = all.filter((h) => h.messageId === 'widgets-4' || h.messageId === 'widgets-5')
    expect(twins.map((h) => h.score)).toEqual([twins[0]!.score, twins[0]!.score])
    expect(twins.map(hitLabel)).toEqual(['widgets-4', 'widgets-5'])
  })
})

describe('cursor pages', () => {
  const labels = (pages: readonly { hits: readonly SearchHit[] }[]): string[][] =>
    pages.map((p) => p.hits.map(hitLabel))

  it('covers all 6 message hits exactly once, in rank order, two at a time', async () => {
    const everything = (await hits('widget')).map(hitLabel)
    expect(everything).toHaveLength(6)
    const pages = await searchAllPages(repo, 'widget', { limit: 2 })
    expect(labels(pages)).toEqual([everything.slice(0, 2), everything.slice(2, 4), everything.slice(4)])
  })

  it('pages one hit at a time, with a filter, and ends with a null cursor', async () => {
    const everything = (await hits('widget role:user')).map(hitLabel)
    expect([...everything].sort()).toEqual(['widgets-0', 'widgets-2', 'widgets-4'])
    const pages = await searchAllPages(repo, 'widget role:user', { limit: 1 })
    expect(labels(pages)).toEqual(everything.map((label) => [label]))
    expect(pages.map((p) => p.nextCursor === null)).toEqual([false, false, true])
  })

  it('reads [null, null, null] as the start of the newest window, past the first page (no title hits)', async () => {
    const fromStart = await repo.search('widget', { limit: 200, cursor: encodeCursor([null, null, null]) })
    expect(fromStart).toMatchObject({ ok: true, value: { titleHits: [], nextCursor: null } })
    expect(fromStart.ok && fromStart.value.hits.map(hitLabel)).toEqual((await hits('widget')).map(hitLabel))
  })

  it.each([
    ['not base64 json', 'not-a-cursor!'],
    ['wrong arity', encodeCursor([1, 2])],
    ['too long', encodeCursor([1, null, null, null])],
    ['the old [score, kind, pk] format', encodeCursor([-1.5, 'message', 3])],
    ['the old format for a title', encodeCursor([-2.25, 'title', 1])],
    ['bound not a number', encodeCursor(['10', null, null])],
    ['score not a number', encodeCursor([10, '-1.5', 3])],
    ['pk not a number', encodeCursor([10, -1.5, '3'])],
    ['a score without a pk', encodeCursor([10, -1.5, null])],
    ['a pk without a score', encodeCursor([10, null, 3])],
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
    expect((await hits('^widget')).length).toBe(6)
    expect((await hits('**widget')).length).toBe(6)
    expect((await hits('{widget cache}')).map(hitLabel).sort()).toEqual(['widgets-0', 'widgets-1'])
  })
})

describe('query plan', () => {
  it('reads matches from the FTS indexes, filters through the narrow index, and never scans or sorts messages', async () => {
    const sqlite = new BetterSqlite3(repo.file, { readonly: true })
    scratch.defer(() => sqlite.close())
    const captured: CompiledQuery[] = []
    const db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: sqlite }),
      log: (event) => void (event.level === 'query' && captured.push(event.query)),
    })
    const planOf = (query: CompiledQuery): string[] =>
      (
        sqlite.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...query.parameters) as { detail: string }[]
      ).map((row) => row.detail)
    const queries = [
      'widget',
      'widget source:cline workspace:srv model:gpt after:2024 before:2026',
      'widget role:user',
      'widget is:starred',
    ]
    for (const query of queries) {
      // Windows of two, so that pages go past the first window and the rowid-bounded query is planned too.
      const first = await searchRepository(db, query, { limit: 2, candidateWindow: 2 })
      if (first.ok && first.value.nextCursor)
        await searchRepository(db, query, { limit: 2, candidateWindow: 2, cursor: first.value.nextCursor })
    }
    const candidates = captured.filter((q) => q.sql.includes('bm25(messages_fts)'))
    expect(candidates.length).toBeGreaterThanOrEqual(queries.length)
    expect(candidates.filter((q) => q.sql.includes('messages_fts.rowid <')).length).toBeGreaterThan(0)
    expect(captured.filter((q) => q.sql.includes('bm25(conversations_fts)')).length).toBeGreaterThan(0)
    for (const query of candidates) {
      const details = planOf(query)
      expect(details).toContainEqual(
        expect.stringMatching(/^SEARCH m USING COVERING INDEX messages_search_filter /),
      )
      expect(details.filter((d) => d.includes('USE TEMP B-TREE FOR ORDER BY'))).toEqual([])
    }
    for (const query of captured) {
      const details = planOf(query)
      expect(details.filter((d) => /^SCAN (m|c|messages|conversations)( |$)/.test(d))).toEqual([])
      expect(
        details.some((d) => /^SCAN (messages|conversations)_fts VIRTUAL TABLE INDEX \d+:=?M/.test(d)),
      ).toBe(true)
    }
  })
})
