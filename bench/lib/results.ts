/** Each run overwrites bench/results/<scenario>.json (git-ignored): the latest figures, with how they were made. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { MachineInfo } from './machine'
import type { Table } from './table'

export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'results')

export interface ScenarioResult {
  readonly scenario: string
  readonly machine: MachineInfo
  readonly size: string
  readonly seed: number
  readonly durationSeconds: number
  readonly figures: unknown
  readonly tables: readonly Table[]
}

export function writeResult(result: ScenarioResult, dir = RESULTS_DIR): string {
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `${result.scenario}.json`)
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`)
  return file
}
