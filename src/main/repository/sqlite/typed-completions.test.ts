/** The word being typed, completed from the message index's vocabulary: what it finds, and when it is exact. */
import { beforeEach, describe, expect, it } from 'vitest'
import { parseSearchQuery, type ParsedSearch } from '../../../shared/search/search-query'
import type { Repository } from '../repository'
import { useScratch } from '../test-support/scratch'
import { appendMessages, seedSearchDataset } from '../test-support/search-dataset'
import { toFtsMatch } from './fts-match'
import { TYPED_COMPLETIONS, typedCompletions } from './typed-completions'

const scratch = useScratch()
let repo: Repository

/** One more word starting with `zeta` than the completions taken: zetaa in 17 messages, zetab in 16, … zetaq in 1. */
const WORDS = Array.from({ length: TYPED_COMPLETIONS + 1 }, (_, k) => `zeta${String.fromCharCode(97 + k)}`)
const messagesOf = (k: number): number => WORDS.length - k

beforeEach(async () => {
  repo = scratch.open()
  await seedSearchDataset(repo)
  await appendMessages(
    repo,
    'widgets',
    WORDS.flatMap((word, k) => Array.from({ length: messagesOf(k) }, (_, i) => `${word} note ${i}`)),
  )
})

function parsed(input: string, asYouType: boolean): ParsedSearch {
  const result = parseSearchQuery(input, { asYouType })
  if (!result.ok) throw new Error(`${input}: ${result.error.code}`)
  return result.value
}

async function hitCount(query: string, asYouType: boolean): Promise<number> {
  const result = await repo.search(query, { limit: 200, asYouType })
  if (!result.ok) throw new Error(`${query}: ${result.error.code} ${result.error.message}`)
  return result.value.hits.length
}

const total = WORDS.reduce((sum, _, k) => sum + messagesOf(k), 0)

describe('typedCompletions', () => {
  it('completes a typed word longer than the prefix indexes to its most frequent words, most frequent first', async () => {
    const query = parsed('zeta', true)
    const completions = await typedCompletions(repo.db, query)
    expect(completions.get(query.include[0]!)).toEqual(WORDS.slice(0, TYPED_COMPLETIONS))
    expect(toFtsMatch(query, completions)).toBe(
      `(${WORDS.slice(0, TYPED_COMPLETIONS)
        .map((w) => `"${w}"`)
        .join(' OR ')})`,
    )
  })

  it('leaves a written prefix, a short typed one and a word with no completion to FTS5 as prefixes', async () => {
    for (const [input, typing] of [
      ['zeta*', false],
      ['ze', true],
      ['zetaz', true],
    ] as const) {
      const query = parsed(input, typing)
      const completions = await typedCompletions(repo.db, query)
      expect(completions.size).toBe(0)
      expect(toFtsMatch(query, completions)).toBe(`"${input.replace('*', '')}"*`)
    }
  })

  it('folds case and accents of the typed word as the index does', async () => {
    const query = parsed('ÉLÈV', true)
    expect((await typedCompletions(repo.db, query)).get(query.include[0]!)).toEqual(['eleve'])
  })
})

describe('search as you type with completions', () => {
  it('finds every message while the word has no more completions than are taken', async () => {
    expect(await hitCount('zetab', true)).toBe(messagesOf(1))
    expect(await hitCount('zetaq', true)).toBe(1)
  })

  it('leaves out only the rarest completion while typing; the written prefix finds it', async () => {
    expect(await hitCount('zeta', true)).toBe(total - 1)
    expect(await hitCount('zeta*', false)).toBe(total)
    expect(await hitCount('zeta*', true)).toBe(total)
  })

  it('reads a typed prefix of one or two characters exactly, from the prefix indexes', async () => {
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
