/** What every scenario receives and returns; run.ts owns argument parsing, timing of the whole, and output. */
import type { Vocabularies } from '../corpus/vocabulary'
import type { Table } from '../lib/table'

export const SIZES = { small: 1_000, medium: 3_000, large: 10_000 } as const
export type SizeName = keyof typeof SIZES
export const SIZE_NAMES = Object.keys(SIZES) as SizeName[]

export interface ScenarioContext {
  readonly size: SizeName
  /** Conversations to generate (SIZES[size]). */
  readonly conversations: number
  readonly seed: number
  /** Keep the temporary databases instead of deleting them. */
  readonly keep: boolean
  /** Where to write CPU profiles (`--cpu-prof DIR`, bench/lib/cpu-profiles.ts); null: none are taken. */
  readonly cpuProfileDir: string | null
  readonly vocab: Vocabularies
  /** Progress lines, on stderr so stdout stays the report. */
  log(line: string): void
}

export interface ScenarioOutput {
  readonly sqliteVersion: string
  readonly figures: unknown
  readonly tables: readonly Table[]
}

export interface Scenario {
  readonly name: string
  readonly summary: string
  readonly defaultSize: SizeName
  run(context: ScenarioContext): Promise<ScenarioOutput>
}

/** Write transactions of this many messages: big enough to amortize the commit, small enough to stream. */
export const MESSAGES_PER_BATCH = 5_000
