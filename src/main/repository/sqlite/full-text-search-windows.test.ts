/**
 * Messages ranked in windows of the newest matches, with tiny windows over the six seeded 'widget' messages: order
 * inside and across windows, pages that span windows, filters, and cursors that stay put while imports continue.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import type { SearchHit } from '../../../shared/domain'
import { decodeCursor } from '../cursor'
import type { Repository } from '../repository'
import { useScratch } from '../test-support/scratch'
import { appendMessages, hitLabel, searchAllPages, seedSearchDataset } from '../test-support/search-dataset'
import type { SearchPage } from './full-text-search'

const scratch = useScratch()
let repo: Repository

beforeEach(async () => {
  repo = scratch.open()
  await seedSearchDataset(repo)
})

/** The rowid of a message hit, read now: windows are cut by rowid. */
async function rowids(): Promise<(hit: SearchHit) => number> {
  const rows = await repo.db.selectFrom('messages').select(['id', 'pk']).execute()
  const pks = new Map(rows.map((r) => [r.id, r.pk]))
  return (hit) => pks.get(hit.messageId ?? '') ?? Number.NaN
}

async function firstPage(query: string, limit: number, candidateWindow: number): Promise<SearchPage> {
  const result = await repo.search(query, { limit, candidateWindow })
  if (!result.ok) throw new Error(result.error.code)
  return result.value
}

const labels = (pages: readonly SearchPage[]): string[] => pages.flatMap((p) => p.hits.map(hitLabel))

/**
 * The order windows must give, computed the slow way: every match scored in one window (plain bm25 order), then
 * cut into windows of `size` by rowid, newest first, and each window sorted by score (ties by rowid).
 */
async function windowedOrder(query: string, size: number): Promise<string[]> {
  const pkOf = await rowids()
  const all = (await firstPage(query, 200, 1_000_000)).hits
  const newestFirst = [...all].sort((a, b) => pkOf(b) - pkOf(a))
  const order: SearchHit[] = []
  for (let i = 0; i < newestFirst.length; i += size) {
    order.push(...newestFirst.slice(i, i + size).sort((a, b) => a.score - b.score || pkOf(a) - pkOf(b)))
  }
  return order.map(hitLabel)
}

describe('order', () => {
  // widgets-0 has the word four times; of the rest, the three-word messages (3, and the identical 4 and 5) rank
  // before the four-word ones (1, 2). Rowids follow the numbers, so 5 is the newest.
  it.each([
    [100, ['widgets-0', 'widgets-3', 'widgets-4', 'widgets-5', 'widgets-1', 'widgets-2']],
    [3, ['widgets-3', 'widgets-4', 'widgets-5', 'widgets-0', 'widgets-1', 'widgets-2']],
    [2, ['widgets-4', 'widgets-5', 'widgets-3', 'widgets-2', 'widgets-0', 'widgets-1']],
    [1, ['widgets-5', 'widgets-4', 'widgets-3', 'widgets-2', 'widgets-1', 'widgets-0']],
  ])('window %i: bm25 order inside each window, windows newest first', async (window, expected) => {
    const { hits } = await firstPage('widget', 200, window)
    expect(hits.map(hitLabel)).toEqual(expected)
    expect(hits.map(hitLabel)).toEqual(await windowedOrder('widget', window))
  })

  it('ranks a window by score even when the best match overall is in an older window', async () => {
    const pkOf = await rowids()
    const { hits } = await firstPage('widget', 200, 3)
    const [newer, older] = [hits.slice(0, 3), hits.slice(3)]
    for (const window of [newer, older]) {
      expect(window.map((h) => h.score)).toEqual(window.map((h) => h.score).sort((a, b) => a - b))
    }
    expect(Math.min(...newer.map(pkOf))).toBeGreaterThan(Math.max(...older.map(pkOf)))
    expect(older[0]?.score).toBeLessThan(newer[0]!.score)
  })
})

describe('walking every page', () => {
  const cases = [1, 2, 3, 5].flatMap((limit) => [1, 2, 3, 100].map((window) => [limit, window]))

  it.each(cases)(
    'limit %i, window %i: every match once, full pages, null cursor last',
    async (limit, window) => {
      const pages = await searchAllPages(repo, 'widget', { limit, candidateWindow: window })
      expect(labels(pages)).toEqual(await windowedOrder('widget', window))
      expect(pages).toHaveLength(Math.ceil(6 / limit))
      expect(pages.map((p) => p.hits.length)).toEqual(pages.map((_, i) => Math.min(limit, 6 - i * limit)))
      expect(pages.map((p) => p.nextCursor === null)).toEqual(pages.map((_, i) => i === pages.length - 1))
      expect(pages.map((p) => p.titleHits.map(hitLabel))).toEqual(
        pages.map((_, i) => (i === 0 ? ['title:widgets'] : [])),
      )
    },
  )

  it('fills a page from two windows, and its cursor names the window it stopped in and the last hit', async () => {
    const pkOf = await rowids()
    const first = await firstPage('widget', 3, 2)
    expect(first.hits.map(hitLabel)).toEqual(['widgets-4', 'widgets-5', 'widgets-3'])
    const last = first.hits[2]!
    // The second window is everything below widgets-4, the oldest of the first window.
    expect(decodeCursor(first.nextCursor!, 3)).toEqual([pkOf(first.hits[0]!), last.score, pkOf(last)])
    const rest = await searchAllPages(repo, 'widget', {
      limit: 3,
      candidateWindow: 2,
      cursor: first.nextCursor,
    })
    expect(rest.map((p) => p.hits.map(hitLabel))).toEqual([['widgets-2', 'widgets-0', 'widgets-1']])
  })

  it('a page that ends with its window starts the next page at the next window', async () => {
    const pkOf = await rowids()
    const first = await firstPage('widget', 2, 2)
    expect(first.hits.map(hitLabel)).toEqual(['widgets-4', 'widgets-5'])
    expect(decodeCursor(first.nextCursor!, 3)).toEqual([pkOf(first.hits[0]!), null, null])
  })

  it('a page that would need many windows ends early with a cursor, and the walk still finds everything', async () => {
    await appendMessages(
      repo,
      'widgets',
      Array.from({ length: 14 }, (_, i) => `widget number ${i}`),
    )
    const pages = await searchAllPages(repo, 'widget', { limit: 50, candidateWindow: 1 })
    expect(pages.length).toBeGreaterThan(1)
    expect(pages.every((p) => p.hits.length > 0)).toBe(true)
    expect(labels(pages)).toEqual(await windowedOrder('widget', 1))
    expect(new Set(labels(pages)).size).toBe(20)
  })
})

describe('filters', () => {
  it('finds every match across windows when newer matches are all filtered out', async () => {
    await repo.write('import', (w) =>
      w.upsertConversations([
        { id: 'noise', source: 'chatgpt', sourceId: 'noise', title: 'Noise', createdAt: 1_800_000_000_000 },
      ]),
    )
    await appendMessages(
      repo,
      'noise',
      Array.from({ length: 30 }, (_, i) => `another widget ${i}`),
    )
    const expected = await windowedOrder('widget source:cline', 2)
    expect([...expected].sort()).toEqual([
      'widgets-0',
      'widgets-1',
      'widgets-2',
      'widgets-3',
      'widgets-4',
      'widgets-5',
    ])
    const pages = await searchAllPages(repo, 'widget source:cline', { limit: 5, candidateWindow: 2 })
    expect(pages.map((p) => p.hits.map(hitLabel))).toEqual([expected.slice(0, 5), expected.slice(5)])
  })

  it('counts a window in matches that pass the filters: role:user with windows of one', async () => {
    const pages = await searchAllPages(repo, 'widget role:user', { limit: 1, candidateWindow: 1 })
    expect(pages.map((p) => p.hits.map(hitLabel))).toEqual([['widgets-4'], ['widgets-2'], ['widgets-0']])
    expect(pages.every((p) => p.titleHits.length === 0)).toBe(true)
  })
})

describe('changes while paging', () => {
  it.each([
    [100, 2, 'inside the only window'],
    [3, 2, 'inside the newest window'],
    [2, 3, 'inside an older window'],
    [2, 2, 'at a window boundary'],
    [1, 1, 'with windows of one'],
  ])(
    'window %i, limit %i, cursor %s: older hits neither repeated nor skipped, new ones left out',
    async (window, limit) => {
      const options = { limit, candidateWindow: window }
      const before = labels(await searchAllPages(repo, 'widget', options))
      const first = await firstPage('widget', limit, window)
      const added = await appendMessages(repo, 'widgets', [
        'widget widget widget widget widget widget',
        'A widget.',
        'One more widget for the road, and a longer text around it.',
      ])
      const rest = await searchAllPages(repo, 'widget', { ...options, cursor: first.nextCursor })
      expect(labels([first, ...rest])).toEqual(before)
      const after = labels(await searchAllPages(repo, 'widget', options))
      expect([...after].sort()).toEqual([...before, ...added].sort())
    },
  )

  it('a conversation deleted after its hit ended a page: the next page starts where that hit was', async () => {
    await repo.write('import', (w) =>
      w.upsertConversations([
        { id: 'other', source: 'cline', sourceId: 'other', title: 'Other', createdAt: 0 },
      ]),
    )
    // Identical to widgets-4 and 5, so it ranks right after them, and it is the newest message.
    await appendMessages(repo, 'other', ['Same widget text.'])
    const first = await firstPage('widget', 5, 100)
    expect(first.hits.map(hitLabel)).toEqual(['widgets-0', 'widgets-3', 'widgets-4', 'widgets-5', 'other-0'])
    await repo.db.updateTable('conversations').set({ deleted_at: 1 }).where('id', '=', 'other').execute()
    const rest = await searchAllPages(repo, 'widget', {
      limit: 5,
      candidateWindow: 100,
      cursor: first.nextCursor,
    })
    expect(rest.map((p) => p.hits.map(hitLabel))).toEqual([['widgets-1', 'widgets-2']])
  })
})
