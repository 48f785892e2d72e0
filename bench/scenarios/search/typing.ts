/**
 * Search as the field asks it while you type: every keystroke of ten realistic queries is one search with
 * `asYouType` (the last word a prefix until a space ends it), first page of 50 with snippets. A keystroke whose
 * text is not yet a valid query (`source:c`) answers with an error at once; it is counted apart, not timed, so the
 * figures are those of real searches. Written prefixes (`c*`, `co*`, `conn*`, and `migr*` and `hyst*`, rarer among the
 * rows of their first two letters) are timed as the query table times a query.
 */
import type { Repository } from '../../../src/main/repository/repository'
import { summarize, type LatencySummary } from '../../lib/stats'
import { collectGarbage, measure } from '../../lib/timing'

/** One, two and three words, with and without filters, accented words typed without accents, Chinese. */
export const TYPING_QUERIES: readonly string[] = [
  'migration',
  'connection pool',
  'database migration rollback',
  'memory leak worker',
  'timeout retry source:claude-code',
  'cache invalidation after:2025-06',
  'probleme connexion',
  'losung datenbank',
  '服务器',
  '数据库 配置',
]

export const WRITTEN_PREFIXES: readonly string[] = ['c*', 'co*', 'conn*', 'migr*', 'hyst*']

/** Every text the field holds on the way to `query`, one per keystroke (a CJK character is one keystroke). */
export function keystrokes(query: string): string[] {
  const chars = [...query]
  return chars.map((_, i) => chars.slice(0, i + 1).join(''))
}

export interface TypingFigures {
  readonly query: string
  readonly keystrokes: number
  /** Keystrokes whose text is not a valid query yet; answered with an error, not timed. */
  readonly refused: number
  readonly latency: LatencySummary
  readonly slowest: string
}

export interface TypingReport {
  readonly runs: number
  readonly queries: readonly TypingFigures[]
  readonly all: LatencySummary
  readonly prefixes: readonly {
    readonly query: string
    readonly latency: LatencySummary
    readonly hits: number
  }[]
}

async function typeOnce(repo: Repository, steps: readonly string[], samples: Map<string, number[]>) {
  let refused = 0
  for (const text of steps) {
    const started = performance.now()
    const result = await repo.search(text, { limit: 50, asYouType: true })
    const ms = performance.now() - started
    if (!result.ok) {
      if (result.error.code === 'SEARCH_FAILED') throw new Error(`"${text}": ${result.error.message}`)
      refused++
      continue
    }
    const times = samples.get(text)
    if (times) times.push(ms)
    else samples.set(text, [ms])
  }
  return refused
}

/** Types each query `runs` times after one untimed pass, as a user would type it again. */
export async function measureTyping(repo: Repository, runs: number): Promise<TypingReport> {
  const queries: TypingFigures[] = []
  const every: number[] = []
  for (const query of TYPING_QUERIES) {
    const steps = keystrokes(query)
    await typeOnce(repo, steps, new Map())
    collectGarbage()
    const samples = new Map<string, number[]>()
    let refused = 0
    for (let run = 0; run < runs; run++) refused = await typeOnce(repo, steps, samples)
    const all = [...samples.values()].flat()
    const slowest = [...samples].reduce(
      (worst, [text, ms]) => (Math.max(...ms) > worst.ms ? { text, ms: Math.max(...ms) } : worst),
      { text: '', ms: -1 },
    )
    every.push(...all)
    queries.push({
      query,
      keystrokes: steps.length,
      refused,
      latency: summarize(all),
      slowest: slowest.text,
    })
  }
  const prefixes = []
  for (const query of WRITTEN_PREFIXES) {
    const { summary, last } = await measure({ warmup: 5, runs: 50 }, async () => {
      const result = await repo.search(query, { limit: 50 })
      if (!result.ok) throw new Error(`search "${query}" failed: ${result.error.message}`)
      return result.value.hits.length
    })
    prefixes.push({ query, latency: summary, hits: last })
  }
  return { runs, queries, all: summarize(every), prefixes }
}
