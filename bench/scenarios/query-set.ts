/**
 * The queries both scenarios time, picked from the vocabulary by frequency rank so they are the same for every
 * seed and size: a common, a mid-frequency and a rare word, two words, a phrase, a prefix, a filtered query, and
 * accented and Chinese words. Each is kept as terms, so every engine gets its own spelling of the same question.
 */
import type { Source } from '../../src/shared/domain'
import { ENGLISH_COLLOCATIONS, ENGLISH_CONTENT_WORDS, ENGLISH_RARE_WORDS } from '../corpus/words/english'

export type TermKind = 'word' | 'phrase' | 'prefix'

export interface QueryTerm {
  readonly kind: TermKind
  readonly text: string
}

export interface QueryFilters {
  readonly source: Source
  /** UTC date, YYYY-MM-DD, inclusive. */
  readonly after: string
}

export interface BenchQuery {
  readonly name: string
  /** Why this query: which frequency band it samples. */
  readonly band: string
  readonly terms: readonly QueryTerm[]
  readonly filters?: QueryFilters
}

const content = (index: number): string => {
  const word = ENGLISH_CONTENT_WORDS[index]
  if (!word) throw new Error(`no content word at ${index}`)
  return word
}

const PREFIX_SOURCE = 'connection'

export function benchQueries(): readonly BenchQuery[] {
  const mid = content(150)
  return [
    { name: 'one-word common', band: 'content word #10', terms: [{ kind: 'word', text: content(10) }] },
    { name: 'one-word mid', band: 'content word #150', terms: [{ kind: 'word', text: mid }] },
    {
      name: 'one-word rare',
      band: 'rare word #7 (tail)',
      terms: [{ kind: 'word', text: ENGLISH_RARE_WORDS[7] ?? 'hysteresis' }],
    },
    {
      name: 'two-word',
      band: 'content words #60 + #200',
      terms: [
        { kind: 'word', text: content(60) },
        { kind: 'word', text: content(200) },
      ],
    },
    {
      name: 'phrase',
      band: 'collocation #6',
      terms: [{ kind: 'phrase', text: ENGLISH_COLLOCATIONS[6] ?? 'memory leak' }],
    },
    {
      name: 'prefix',
      band: `first 4 letters of "${PREFIX_SOURCE}"`,
      terms: [{ kind: 'prefix', text: PREFIX_SOURCE.slice(0, 4) }],
    },
    {
      name: 'filtered',
      band: 'content word #150 + source + after',
      terms: [{ kind: 'word', text: mid }],
      filters: { source: 'cline', after: '2025-01-01' },
    },
    {
      name: 'accented',
      band: 'French "problème" typed "probleme"',
      terms: [{ kind: 'word', text: 'probleme' }],
    },
    { name: 'chinese', band: '3-character word in sentences', terms: [{ kind: 'word', text: '服务器' }] },
  ]
}

/** The query in Chronicle's search language (src/shared/search/search-query.ts). */
export function chronicleQuery(query: BenchQuery): string {
  const terms = query.terms.map((t) =>
    t.kind === 'phrase' ? `"${t.text}"` : t.kind === 'prefix' ? `${t.text}*` : t.text,
  )
  const filters = query.filters ? [`source:${query.filters.source}`, `after:${query.filters.after}`] : []
  return [...terms, ...filters].join(' ')
}

/** Epoch ms of an `after:` date, as the search language reads it (UTC midnight). */
export const afterEpochMs = (filters: QueryFilters): number => Date.parse(`${filters.after}T00:00:00Z`)
