/**
 * A long written prefix answered through its indexed prefix and a scratch index: the same rows, order, pages and
 * snippets as the message index's own answer, whatever the batch sizes, filters and exclusions.
 */
import { sql } from 'kysely'
import { beforeEach, describe, expect, it } from 'vitest'
import type { ParsedSearch } from '../../../shared/search/search-query'
import type { Repository } from '../repository'
import { useScratch } from '../test-support/scratch'
import {
  appendMessages,
  parsedQuery,
  searchAllPages,
  seedSearchDatasetWith,
} from '../test-support/search-dataset'
import { toFtsMatch } from './fts-match'
import { answersByScan, scanNewest, widerQuery } from './prefix-scan'
import { MESSAGE_TOKENIZER } from './scratch-index'
import { hitDetails, messageCandidates } from './search-queries'

const scratch = useScratch()
let repo: Repository

/**
 * 120 messages: every third has a word starting `conn` (and `Connexion`, accented and capitalised, once in a while),
 * the others only words starting `co` (`cobalt`, `conifer`), so the wider `co*` reads three rows for each match.
 */
const text = (i: number): string => {
  if (i % 3 !== 0) return `cobalt note ${i} conifer`
  return i % 9 === 0 ? `Connéxion pool ${i}` : `connection pool ${i} cobalt`
}

beforeEach(async () => {
  repo = scratch.open()
  await seedSearchDatasetWith(
    repo,
    Array.from({ length: 120 }, (_, i) => text(i)),
  )
  await appendMessages(repo, 'k8s', ['connective tissue', 'cobalt again'])
})

const parsed = (input: string): ParsedSearch => parsedQuery(input)

/** The message index's own answer: every match, newest first, with the query's filters. */
async function exact(input: string, bound: number | null = null, count = 10_000): Promise<number[]> {
  const query = parsed(input)
  return (await messageCandidates(repo.db, query, toFtsMatch(query), bound, count)).map((c) => c.pk)
}

async function scanned(input: string, bound: number | null, count: number, firstBatch = 1, rows = 1_000) {
  const query = parsed(input)
  // rowCost 0: the scan never judges the index's merge cheaper, so every batch size is exercised.
  const limits = { firstBatch, rowCost: 0, rows }
  const found = await scanNewest(repo.db, query, new Map(), toFtsMatch(query), bound, count, limits)
  return found.map((c) => c.pk)
}

const QUERIES = [
  'conn*',
  'conne*',
  'connexion*',
  'pool conn*',
  'conn* -cobalt',
  'cobalt -conn*',
  'conn* role:assistant',
  'conn* source:chatgpt',
  '"connection pool"*',
  'zzzz*',
  // One letter: no postings of its own (migration 0016), so the wider query is the rest, or every message.
  'c*',
  'p*',
  'pool c*',
  'connection-p*',
  'c* -cobalt',
  'cobalt -p*',
  'c* role:user',
  'k* source:chatgpt',
  'q*',
]

describe('widerQuery', () => {
  it('cuts a long prefix to the indexed length and leaves out exclusions of one; completed typed words stay', () => {
    const query = parsed('conn* co* -conf* -cobalt')
    expect(toFtsMatch(widerQuery(query))).toBe('"co"* AND "co"* NOT "cobalt"')
    const typed = parsedQuery('pool conn', true)
    const [, conn] = typed.include
    const completed = new Map([[conn!, ['connection', 'connexion']]])
    expect(answersByScan(typed, completed)).toBe(false)
    expect(toFtsMatch(widerQuery(typed, completed), completed)).toBe(
      '"pool" AND ("connection" OR "connexion")',
    )
    // Not completed (it starts too many words): scanned as a written prefix is.
    expect(answersByScan(typed)).toBe(true)
    expect(toFtsMatch(widerQuery(typed))).toBe('"pool" AND "co"*')
    expect(answersByScan(parsed('co*'))).toBe(false)
    expect(answersByScan(parsed('conn*'))).toBe(true)
  })

  it('leaves a one-letter prefix out, keeping the words before it in its phrase; typed or written alike', () => {
    expect(toFtsMatch(widerQuery(parsed('pool c* -p*')))).toBe('"pool"')
    expect(toFtsMatch(widerQuery(parsed('connection-p* cobalt')))).toBe('"connection" AND "cobalt"')
    expect(widerQuery(parsed('c* role:user')).include).toEqual([])
    const typed = parsedQuery('pool c', true)
    expect(answersByScan(typed)).toBe(true)
    expect(toFtsMatch(widerQuery(typed))).toBe('"pool"')
    // Ranked by bm25, so asked of the message index as written.
    expect(answersByScan(parsed('cobalt -conn*'))).toBe(false)
  })
})

describe('scanNewest', () => {
  it.each(QUERIES)('finds what the message index finds for %s, in any batch sizes', async (input) => {
    const all = await exact(input)
    for (const [firstBatch, count] of [
      [1, 1],
      [1, 5],
      [4, 7],
      [64, 51],
    ] as const) {
      expect(await scanned(input, null, count, firstBatch)).toEqual(all.slice(0, count))
      const below = all[2]
      if (below !== undefined) {
        expect(await scanned(input, below, count, firstBatch)).toEqual(all.slice(3, 3 + count))
      }
    }
  })

  it('asks the message index for the rest past its rows of the wider query, or when the merge costs less', async () => {
    const all = await exact('connexion*')
    expect(all.length).toBeGreaterThan(10)
    // The first batch reads 10 rows of co*, with 1 or 2 matches; the rest is asked of the index.
    expect(await scanned('connexion*', null, 10, 10, 3)).toEqual(all.slice(0, 10))
    expect(await scanned('connexion* role:user', all[0]!, 10, 10, 3)).toEqual(
      (await exact('connexion* role:user', all[0]!)).slice(0, 10),
    )
    const query = parsed('connexion*')
    const costed = await scanNewest(repo.db, query, new Map(), toFtsMatch(query), null, 10, {
      firstBatch: 1,
      rowCost: 1_000,
      rows: 1_000,
    })
    expect(costed.map((c) => c.pk)).toEqual(all.slice(0, 10))
  })
})

describe('search with a long written prefix or a one-letter one', () => {
  it.each(['conn*', 'connexion*', 'pool conn* -cobalt', 'c*', 'pool c* -cobalt', 'k* role:assistant'])(
    'pages through every match of %s',
    async (input) => {
      const pages = await searchAllPages(repo, input, { limit: 7 })
      const ids = pages.flatMap((p) => p.hits.map((h) => h.messageId))
      const pks = await exact(input)
      const idOf = new Map(
        (await repo.db.selectFrom('messages').select(['pk', 'id']).execute()).map((r) => [r.pk, r.id]),
      )
      expect(ids).toEqual(pks.map((pk) => idOf.get(pk)))
      expect(pages.at(-1)?.nextCursor).toBeNull()
    },
  )

  it('cuts the same snippets from the scratch index as from the message index', async () => {
    const result = await repo.search('conn*', { limit: 50 })
    if (!result.ok) throw new Error(result.error.code)
    const pks = await exact('conn*', null, 50)
    const fromIndex = await hitDetails(repo.db, toFtsMatch(parsed('conn*')), 'message', pks)
    expect(result.value.hits.map((h) => h.snippet)).toEqual(
      pks.map((pk) => fromIndex.get(pk)?.snippet.replace(/\u200b/gu, '')),
    )
    expect(result.value.hits.some((h) => h.snippet.includes('Connéxion'))).toBe(true)
  })
})

it("indexes the scratch with the message index's tokenizer", async () => {
  const { rows } = await sql<{
    sql: string
  }>`SELECT sql FROM sqlite_master WHERE name = 'messages_fts'`.execute(repo.db)
  expect(rows[0]?.sql).toContain(`tokenize='${MESSAGE_TOKENIZER}'`)
})
