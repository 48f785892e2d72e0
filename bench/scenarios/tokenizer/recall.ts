/**
 * Recall checks: does a query find every message it should? The truth is computed from the original text while
 * the corpus streams by. Accent probes are typed without accents and count whole words (what a user means);
 * CJK probes count the substring, since Chinese and Japanese have no word boundaries to honour.
 */
import type { BenchQuery } from '../query-set'

export interface RecallProbe {
  readonly query: BenchQuery
  readonly about: string
  /** Whether a message's original text should be found by this probe. */
  expected(text: string, folded: () => string): boolean
}

/** Lower case without diacritics, as `remove_diacritics` sees letters. */
export const fold = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()

function wordProbe(word: string, about: string): RecallProbe {
  const whole = new RegExp(`(?<![\\p{L}\\p{N}])${word}(?![\\p{L}\\p{N}])`, 'u')
  return {
    query: { name: `accent: ${word}`, band: about, terms: [{ kind: 'word', text: word }] },
    about,
    expected: (_, folded) => {
      const f = folded()
      return f.includes(word) && whole.test(f)
    },
  }
}

function substringProbe(text: string, about: string): RecallProbe {
  return {
    query: { name: `cjk: ${text}`, band: about, terms: [{ kind: 'word', text }] },
    about,
    expected: (original) => original.includes(text),
  }
}

export function recallProbes(): readonly RecallProbe[] {
  return [
    wordProbe('probleme', 'French problème'),
    wordProbe('deja', 'French déjà'),
    wordProbe('losung', 'German Lösung'),
    wordProbe('funcion', 'Spanish función'),
    substringProbe('配置', 'Chinese, 2 characters'),
    substringProbe('服务器', 'Chinese, 3 characters'),
    substringProbe('設定', 'Japanese, 2 characters'),
    substringProbe('データベース', 'Japanese katakana, 6 characters'),
  ]
}

export interface TruthCollector {
  observe(pk: number, text: string): void
  expectedPks(probe: RecallProbe): ReadonlySet<number>
}

export function createTruthCollector(probes: readonly RecallProbe[]): TruthCollector {
  const sets = new Map<RecallProbe, Set<number>>(probes.map((p) => [p, new Set<number>()]))
  return {
    observe(pk, text) {
      let folded: string | null = null
      // Folding is the costly part and most messages are ASCII: fold once, and only when asked.
      const getFolded = (): string =>
        (folded ??= /[^\p{ASCII}]/u.test(text) ? fold(text) : text.toLowerCase())
      for (const [probe, set] of sets) if (probe.expected(text, getFolded)) set.add(pk)
    },
    expectedPks: (probe) => sets.get(probe) ?? new Set(),
  }
}

export interface RecallFigures {
  readonly expected: number
  readonly found: number
  readonly recall: number
  readonly precision: number
}

export function recallOf(expected: ReadonlySet<number>, found: ReadonlySet<number>): RecallFigures {
  let both = 0
  for (const pk of found) if (expected.has(pk)) both++
  const pct = (n: number, d: number): number => (d === 0 ? Number.NaN : Math.round((n / d) * 1000) / 10)
  return {
    expected: expected.size,
    found: found.size,
    recall: pct(both, expected.size),
    precision: pct(both, found.size),
  }
}
