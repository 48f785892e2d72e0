/**
 * The dashboard's arithmetic, apart from React and the chart: which keys a stacked chart shows, the columns it
 * draws, and how a cost reads when some responses had no price. Numbers are formatted for the user's locale.
 */
import type { UsageChartSeries, UsageFigures } from '../../../shared/usage/usage-report'

export type UsageMetric = 'cost' | 'tokens'

/** Every token the response moved: the four kinds (one-hour cache writes are a part of cacheWrites). */
export const tokensOf = (f: Pick<UsageFigures, 'tokensIn' | 'tokensOut' | 'cacheWrites' | 'cacheReads'>) =>
  f.tokensIn + f.tokensOut + f.cacheWrites + f.cacheReads

/** More keys than this are drawn as the largest ones and "Other", so the colours stay tellable apart. */
export const MAX_KEYS = 7
export const OTHER = 'Other'

export interface StackedColumns {
  /** Period starts, ascending (epoch ms). */
  readonly starts: readonly number[]
  /** Largest total first; '' is the ungrouped series. */
  readonly keys: readonly string[]
  /** values[k][i]: key k's figure in period i. */
  readonly values: readonly (readonly number[])[]
  /** Each period's total. */
  readonly totals: readonly number[]
  /** Each period's responses without a price (their cost is not in the totals). */
  readonly unpriced: readonly number[]
  /** Each key's sum over every period, and its responses without a price (the legend's figures). */
  readonly keyTotals: readonly number[]
  readonly keyUnpriced: readonly number[]
}

/** The series as columns per key, the largest keys first, the rest folded into "Other". */
export function stackColumns(series: UsageChartSeries, metric: UsageMetric): StackedColumns {
  const { starts, buckets } = series
  const measured = metric === 'cost' ? buckets.cost : buckets.tokens
  const byKey = new Float64Array(series.keys.length)
  measured.forEach((v, i) => {
    const key = buckets.key[i] ?? 0
    byKey[key] = (byKey[key] ?? 0) + v
  })
  const ranked = series.keys
    .map((key, k) => [key, byKey[k] ?? 0, k] as const)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
  const fold = ranked.length > MAX_KEYS
  const shown = fold ? ranked.slice(0, MAX_KEYS - 1) : ranked
  const keys = fold ? [...shown.map(([key]) => key), OTHER] : shown.map(([key]) => key)
  // The row each of the series' keys is drawn in ("Other", the last, for the folded ones).
  const rowOf = new Int32Array(series.keys.length).fill(keys.length - 1)
  shown.forEach(([, , k], row) => (rowOf[k] = row))
  const values = keys.map(() => new Float64Array(starts.length))
  const totals = new Float64Array(starts.length)
  const unpriced = new Float64Array(starts.length)
  const keyUnpriced = new Float64Array(keys.length)
  measured.forEach((v, b) => {
    const i = buckets.period[b] ?? 0
    const k = rowOf[buckets.key[b] ?? 0] ?? keys.length - 1
    const column = values[k]
    const n = buckets.unpriced[b] ?? 0
    if (column) column[i] = (column[i] ?? 0) + v
    totals[i] = (totals[i] ?? 0) + v
    unpriced[i] = (unpriced[i] ?? 0) + n
    keyUnpriced[k] = (keyUnpriced[k] ?? 0) + n
  })
  return {
    starts,
    keys,
    values: values.map((v) => [...v]),
    totals: [...totals],
    unpriced: [...unpriced],
    keyTotals: values.map((v) => v.reduce((sum, x) => sum + x, 0)),
    keyUnpriced: [...keyUnpriced],
  }
}

const money = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' })
/** Small amounts (a cent or less per response is common) keep their significant digits. */
const smallMoney = new Intl.NumberFormat(undefined, {
  style: 'currency',
  currency: 'USD',
  maximumSignificantDigits: 3,
})
const exactMoney = new Intl.NumberFormat(undefined, {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 6,
})
const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 })
const count = new Intl.NumberFormat()
const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 })

export const formatMoney = (usd: number): string =>
  usd !== 0 && Math.abs(usd) < 1 ? smallMoney.format(usd) : money.format(usd)
export const formatExactMoney = (usd: number): string => exactMoney.format(usd)
export const formatCompact = (n: number): string => compact.format(n)
export const formatExactCount = (n: number): string => count.format(n)
export const formatPercent = (share: number): string => percent.format(share)

/**
 * A cost as it should read: responses without a price are "unpriced", never $0, and a sum that leaves some out
 * says so.
 */
export function costLabel(cost: number, unpriced: number, format = formatMoney): string {
  if (unpriced > 0 && cost === 0) return 'unpriced'
  if (unpriced > 0) return `${format(cost)} + unpriced`
  return format(cost)
}

/** What caching saved at the table's prices, and that saving as a share of what the tokens would have cost. */
export function cacheSaving(f: UsageFigures): { readonly saved: number; readonly share: number } {
  const saved = Math.max(0, f.uncachedCost - f.cost)
  return { saved, share: f.uncachedCost > 0 ? saved / f.uncachedCost : 0 }
}

/** The four token kinds in one line, compact, and the same exactly (for a title). */
export function tokenKinds(f: Pick<UsageFigures, 'tokensIn' | 'tokensOut' | 'cacheWrites' | 'cacheReads'>): {
  readonly short: string
  readonly exact: string
} {
  return {
    short: `${formatCompact(f.tokensIn)} in · ${formatCompact(f.tokensOut)} out · ${formatCompact(f.cacheWrites)} cw · ${formatCompact(f.cacheReads)} cr`,
    exact:
      `${formatExactCount(f.tokensIn)} input, ${formatExactCount(f.tokensOut)} output, ` +
      `${formatExactCount(f.cacheWrites)} cache write, ${formatExactCount(f.cacheReads)} cache read tokens`,
  }
}
