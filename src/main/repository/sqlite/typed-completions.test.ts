/**
 * The word being typed, completed from the message index's vocabulary when it starts few enough words, scanned when
 * it starts more: what it finds (every message, either way) and how it is asked.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import type { ParsedSearch } from '../../../shared/search/search-query'
import type { Repository } from '../repository'
import { useScratch } from '../test-support/scratch'
import { parsedQuery, seedSearchDatasetWith } from '../test-support/search-dataset'
import { toFtsMatch } from './fts-match'
import { answersByScan } from './prefix-scan'
import { TYPED_COMPLETIONS, typedCompletions } from './typed-completions'

const scratch = useScratch()
let repo: Repository

/** One more word starting with `zeta` than the completions taken: zetaa in 17 messages, zetab in 16, … zetaq in 1. */
const WORDS = Array.from({ length: TYPED_COMPLETIONS + 1 }, (_, k) => `zeta${String.fromCharCode(97 + k)}`)
const messagesOf = (k: number): number => WORDS.length - k

beforeEach(async () => {
  repo = scratch.open()
  await seedSearchDatasetWith(
    repo,
    WORDS.flatMap((word, k) => Array.from({ length: messagesOf(k) }, (_, i) => `${word} note ${i}`)),
  )
})

const parsed = (input: string, asYouType: boolean): ParsedSearch => parsedQuery(input, asYouType)

async function hitCount(query: string, asYouType: boolean): Promise<number> {
  const result = await repo.search(query, { limit: 200, asYouType })
  if (!result.ok) throw new Error(`${query}: ${result.error.code} ${result.error.message}`)
  return result.value.hits.length
}

const total = WORDS.reduce((sum, _, k) => sum + messagesOf(k), 0)

describe('typedCompletions', () => {
  it('completes a typed word that starts at most TYPED_COMPLETIONS words to all of them', async () => {
    const query = parsed('zetab', true)
    const completions = await typedCompletions(repo.db, query)
    expect(completions.get(query.include[0]!)).toEqual(['zetab'])
    expect(toFtsMatch(query, completions)).toBe('("zetab")')
    expect(answersByScan(query, completions)).toBe(false)
  })

  it('leaves a typed word that starts more words uncompleted, so the search scans it', async () => {
    const query = parsed('zeta', true)
    const completions = await typedCompletions(repo.db, query)
    expect(completions.size).toBe(0)
    expect(answersByScan(query, completions)).toBe(true)
  })

  it('leaves a written prefix and a short typed one to FTS5 as prefixes', async () => {
    for (const [input, typing] of [
      ['zeta*', false],
      ['ze', true],
    ] as const) {
      const query = parsed(input, typing)
      const completions = await typedCompletions(repo.db, query)
      expect(completions.size).toBe(0)
      expect(toFtsMatch(query, completions)).toBe(`"${input.replace('*', '')}"*`)
    }
  })

  it('asks a typed word that starts no word as it is, which finds nothing at once', async () => {
    const query = parsed('zetaz', true)
    const completions = await typedCompletions(repo.db, query)
    expect(completions.get(query.include[0]!)).toEqual([])
    expect(toFtsMatch(query, completions)).toBe('"zetaz"*')
    expect(answersByScan(query, completions)).toBe(false)
  })

  it('folds case and accents of the typed word as the index does', async () => {
    const query = parsed('ÉLÈV', true)
    expect((await typedCompletions(repo.db, query)).get(query.include[0]!)).toEqual(['eleve'])
  })
})

describe('search as you type', () => {
  it('finds every message of a word with few completions', async () => {
    expect(await hitCount('zetab', true)).toBe(messagesOf(1))
    expect(await hitCount('zetaq', true)).toBe(1)
  })

  it('finds every message of a word with more completions than are listed, the rarest included', async () => {
    expect(await hitCount('zeta', true)).toBe(total)
    expect(await hitCount('zeta*', false)).toBe(total)
    expect(await hitCount('zeta*', true)).toBe(total)
  })

  it('reads a typed prefix of one or two characters exactly', async () => {
    expect(await hitCount('ze', true)).toBe(total)
    expect(await hitCount('z', true)).toBe(total)
  })

  it('matches the earlier words whole and keeps the phrase of a punctuated typed word', async () => {
    expect(await hitCount('note zetaa', true)).toBe(messagesOf(0))
    expect(await hitCount('zetaa-no', true)).toBe(messagesOf(0))
  })
})

describe('ranking of a query with a prefix', () => {
  it('puts the newest matches first, typed or written, where a whole word is ranked by bm25', async () => {
    const ordinals = async (query: string, asYouType: boolean): Promise<number[]> => {
      const result = await repo.search(query, { limit: 200, asYouType })
      if (!result.ok) throw new Error(result.error.code)
      return result.value.hits.map((h) => h.ordinal ?? -1)
    }
    const newestFirst = (list: number[]) => [...list].sort((a, b) => b - a)
    for (const [query, typing] of [
      ['zeta', true],
      ['zeta*', false],
      ['ze', true],
    ] as const) {
      const found = await ordinals(query, typing)
      expect(found.length).toBeGreaterThan(100)
      expect(found).toEqual(newestFirst(found))
    }
    // "note" is in every zeta message once; bm25 prefers the shorter ones ("zetaa note 9" over "zetaa note 10").
    const byRelevance = await ordinals('note', false)
    expect(byRelevance).not.toEqual(newestFirst(byRelevance))
  })
})
