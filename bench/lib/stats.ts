/** Latency figures: percentiles by nearest rank, in milliseconds rounded to 2 decimals for the report. */

export interface LatencySummary {
  readonly runs: number
  readonly p50: number
  readonly p95: number
  readonly p99: number
  readonly mean: number
  readonly max: number
}

export const round2 = (value: number): number => Math.round(value * 100) / 100

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[index] ?? Number.NaN
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b)
  const mean = sorted.reduce((sum, s) => sum + s, 0) / Math.max(1, sorted.length)
  return {
    runs: sorted.length,
    p50: round2(percentile(sorted, 50)),
    p95: round2(percentile(sorted, 95)),
    p99: round2(percentile(sorted, 99)),
    mean: round2(mean),
    max: round2(sorted.at(-1) ?? Number.NaN),
  }
}

/** How many times slower the peer is than us (below 1: faster), to 3 significant digits. */
export const ratio = (peer: number, ours: number): number =>
  ours > 0 ? Number((peer / ours).toPrecision(3)) : Number.NaN
