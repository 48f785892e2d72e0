/** Timing helpers. `npm run bench` runs Node with --expose-gc, so a collection can be forced between phases. */
import { summarize, type LatencySummary } from './stats'

export function collectGarbage(): void {
  globalThis.gc?.()
}

export interface MeasureOptions {
  readonly warmup: number
  readonly runs: number
}

/** Runs fn warmup times untimed, then runs times timed; returns the summary and the last result. */
export async function measure<T>(
  options: MeasureOptions,
  fn: () => Promise<T> | T,
): Promise<{ summary: LatencySummary; last: T }> {
  if (options.runs < 1) throw new Error('measure needs at least one timed run')
  for (let i = 0; i < options.warmup; i++) await fn()
  collectGarbage()
  const samples: number[] = []
  const time = async (): Promise<T> => {
    const started = performance.now()
    const value = await fn()
    samples.push(performance.now() - started)
    return value
  }
  let last = await time()
  for (let i = 1; i < options.runs; i++) last = await time()
  return { summary: summarize(samples), last }
}

export async function timed<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const started = performance.now()
  const value = await fn()
  return { ms: performance.now() - started, value }
}
