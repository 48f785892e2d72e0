/**
 * Who, where and when for one conversation: source, workspace, model, language, start time and starring, with
 * skewed shares as in a real history (one main tool, a few busy projects, more activity recently).
 */
import type { Source } from '../../src/shared/domain'
import { weighted, type Prng } from './prng'
import type { ToolStyle } from './tool-calls'
import type { Language } from './vocabulary'

export const CORPUS_START = Date.UTC(2023, 6, 1)
export const CORPUS_END = Date.UTC(2025, 6, 1)

export const BENCH_SOURCES: readonly (readonly [Source, number])[] = [
  ['claude-code', 0.35],
  ['cline', 0.25],
  ['roo', 0.25],
  ['chatgpt', 0.15],
]

export const MODELS = [
  'claude-sonnet-4-5',
  'claude-opus-4-1',
  'claude-3-7-sonnet',
  'gpt-4o',
  'gpt-5',
  'o3',
  'gemini-2.5-pro',
  'deepseek-chat',
] as const

const LANGUAGE_SHARES: readonly (readonly [Language, number])[] = [
  ['en', 0.78],
  ['fr', 0.05],
  ['de', 0.04],
  ['es', 0.04],
  ['ru', 0.03],
  ['zh', 0.04],
  ['ja', 0.02],
]

const AREAS = ['api', 'web', 'data', 'mobile', 'infra']
const KINDS = ['gateway', 'portal', 'pipeline', 'app', 'tools', 'service', 'console', 'sdk', 'worker', 'docs']
const ROOTS = ['/home/alex/src', '/Users/sam/code', 'C:\\Users\\kim\\repos']

/** 50 workspaces; a few get most of the work (Zipf-like weights). */
export const WORKSPACES: readonly string[] = AREAS.flatMap((area, a) =>
  KINDS.map((kind, k) => {
    const root = ROOTS[(a + k) % ROOTS.length] ?? ''
    return `${root}${root.startsWith('C:') ? '\\' : '/'}${area}-${kind}`
  }),
)
const WORKSPACE_WEIGHTS = WORKSPACES.map((w, rank) => [w, 1 / (rank + 1)] as const)

export interface ConversationMeta {
  readonly source: Source
  readonly toolStyle: ToolStyle
  readonly workspace: string
  readonly model: string
  readonly language: Language
  readonly startedAt: number
  readonly starred: boolean
}

export function conversationMeta(rng: Prng): ConversationMeta {
  const source = weighted(rng, BENCH_SOURCES)
  // Usage grows over time: sqrt puts more conversations in the later months.
  const startedAt = Math.round(CORPUS_START + (CORPUS_END - CORPUS_START) * Math.sqrt(rng.next()))
  return {
    source,
    toolStyle: source === 'roo' || source === 'cline' ? 'xml' : 'json',
    workspace: weighted(rng, WORKSPACE_WEIGHTS),
    model: rng.pick(MODELS),
    language: weighted(rng, LANGUAGE_SHARES),
    startedAt,
    starred: rng.chance(0.03),
  }
}
