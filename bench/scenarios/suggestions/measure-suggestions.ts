/**
 * What "Did you mean" costs. The normal path (a query with 5 messages or more) is timed through the repository's
 * search, which decides whether to suggest, against the plain full-text search it wraps, alternating the two, so
 * the difference is the price of deciding. The suggesting path is timed on misspelled words of every frequency band,
 * whole and typed letter by letter, with what each one suggested.
 */
import type { Repository } from '../../../src/main/repository/repository'
import { searchRepository } from '../../../src/main/repository/sqlite/full-text-search'
import { summarize, type LatencySummary } from '../../lib/stats'
import { collectGarbage } from '../../lib/timing'
import { ENGLISH_CONTENT_WORDS, ENGLISH_RARE_WORDS } from '../../corpus/words/english'
import { benchQueries, chronicleQuery } from '../query-set'

export interface NormalPathFigures {
  readonly name: string
  readonly query: string
  readonly hits: number
  readonly plain: LatencySummary
  readonly withSuggestions: LatencySummary
}

export interface TypoFigures {
  readonly name: string
  readonly query: string
  readonly hits: number
  readonly suggestions: readonly string[]
  readonly latency: LatencySummary
  /** The longest the calling thread's event loop went without a turn in each answer: what the hub would wait. */
  readonly blocked: LatencySummary
  /** A common word's search asked as you type while this one's suggestions are computed (searchSuggestions). */
  readonly searchDuring: LatencySummary
}

export interface SuggestionFigures {
  readonly runs: number
  readonly normal: readonly NormalPathFigures[]
  readonly typos: readonly TypoFigures[]
  /** Every keystroke of the misspelled words typed as the search field asks (as you type: no suggestions). */
  readonly typing: LatencySummary & { readonly keystrokes: number }
}

/** Deterministic slips: a letter dropped, two neighbours swapped, a letter doubled, a letter replaced. */
const slips: readonly ((w: string) => string)[] = [
  (w) => w.slice(0, 3) + w.slice(4),
  (w) => w.slice(0, 3) + (w[4] ?? '') + (w[3] ?? '') + w.slice(5),
  (w) => w.slice(0, 4) + (w[3] ?? '') + w.slice(4),
  (w) => w.slice(0, 4) + (w[4] === 'e' ? 'a' : 'e') + w.slice(5),
]

function typoQueries(): { name: string; query: string }[] {
  const long = (words: readonly string[], from: number) =>
    words.slice(from).find((w) => w.length >= 7) ?? 'hysteresis'
  const words: [string, string][] = [
    ['common', long(ENGLISH_CONTENT_WORDS, 10)],
    ['mid', long(ENGLISH_CONTENT_WORDS, 150)],
    ['rare', long(ENGLISH_RARE_WORDS, 7)],
  ]
  const [, common] = words[0]!
  return [
    ...words.flatMap(([band, word], i) => [
      { name: `${band} word, slip ${i % 4}`, query: slips[i % 4]!(word) },
      { name: `${band} word, slip ${(i + 1) % 4}`, query: slips[(i + 1) % 4]!(word) },
    ]),
    // Read only when no correction starts as the word does: the wider pass.
    { name: 'common word, first letter', query: `${common[0] === 'q' ? 'w' : 'q'}${common.slice(1)}` },
  ]
}

async function timeOnce(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await fn()
  return performance.now() - started
}

/** The longest gap between turns of the event loop while `fn` runs, seen by a 1 ms timer. */
async function longestStall(fn: () => Promise<unknown>): Promise<number> {
  let last = performance.now()
  let longest = 0
  const beat = () => {
    const now = performance.now()
    longest = Math.max(longest, now - last)
    last = now
  }
  const timer = setInterval(beat, 1)
  try {
    await fn()
  } finally {
    clearInterval(timer)
    beat()
  }
  return longest
}

export async function measureSuggestions(repo: Repository, runs: number): Promise<SuggestionFigures> {
  const normal: NormalPathFigures[] = []
  for (const bench of benchQueries()) {
    const query = chronicleQuery(bench)
    const plain: number[] = []
    const wrapped: number[] = []
    let hits = 0
    for (let i = 0; i < runs + 3; i++) {
      const a = await timeOnce(() => searchRepository(repo.db, query, { limit: 50 }))
      const b = await timeOnce(async () => {
        const answer = await repo.search(query, { limit: 50 })
        if (answer.ok) hits = answer.value.hits.length
      })
      if (i >= 3) {
        plain.push(a)
        wrapped.push(b)
      }
    }
    normal.push({
      name: bench.name,
      query,
      hits,
      plain: summarize(plain),
      withSuggestions: summarize(wrapped),
    })
  }
  collectGarbage()
  const common = chronicleQuery(benchQueries()[0]!)
  const typos: TypoFigures[] = []
  for (const { name, query } of typoQueries()) {
    const samples: number[] = []
    const stalls: number[] = []
    let hits = 0
    let suggestions: string[] = []
    // The first run is left out: it warms the cache and starts the suggestion worker.
    for (let i = 0; i < Math.max(3, Math.floor(runs / 3)) + 1; i++) {
      let ms = 0
      const stall = await longestStall(async () => {
        ms = await timeOnce(async () => {
          const answer = await repo.search(query, { limit: 50 })
          if (!answer.ok) throw new Error(`${query}: ${answer.error.message}`)
          hits = answer.value.hits.length
          suggestions = answer.value.suggestions.map((s) => s.query)
        })
      })
      if (i > 0) {
        samples.push(ms)
        stalls.push(stall)
      }
    }
    const during: number[] = []
    for (let i = 0; i < Math.max(3, Math.floor(runs / 3)); i++) {
      const suggesting = repo.suggest(query)
      during.push(await timeOnce(() => repo.search(common, { limit: 50, asYouType: true })))
      await suggesting
    }
    typos.push({
      name,
      query,
      hits,
      suggestions,
      latency: summarize(samples),
      blocked: summarize(stalls),
      searchDuring: summarize(during),
    })
  }
  const keystrokes: number[] = []
  for (const { query } of typoQueries()) {
    for (let end = 1; end <= query.length; end++) {
      const typed = query.slice(0, end)
      keystrokes.push(await timeOnce(() => repo.search(typed, { limit: 50, asYouType: true })))
    }
  }
  return { runs, normal, typos, typing: { ...summarize(keystrokes), keystrokes: keystrokes.length } }
}
