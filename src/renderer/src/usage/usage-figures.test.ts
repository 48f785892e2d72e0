import { describe, expect, it } from 'vitest'
import { toChartSeries, type UsageChartSeries, type UsageFigures } from '../../../shared/usage/usage-report'
import { cacheSaving, costLabel, MAX_KEYS, OTHER, stackColumns, tokenKinds } from './usage-figures'

const figures = (cost: number, tokensIn = 0, over: Partial<UsageFigures> = {}): UsageFigures => ({
  responses: 1,
  tokensIn,
  tokensOut: 0,
  cacheWrites: 0,
  cacheWrites1h: 0,
  cacheReads: 0,
  cost,
  uncachedCost: cost,
  unpricedResponses: 0,
  ...over,
})

const series = (buckets: [number, string, UsageFigures][]): UsageChartSeries =>
  toChartSeries({
    period: 'day',
    by: 'model',
    utcOffsetMinutes: 0,
    buckets: buckets.map(([start, key, f]) => ({ start, key, figures: f })),
    totals: figures(0),
  })

describe('stackColumns', () => {
  it('puts each key in its own column per period, largest key first, periods ascending', () => {
    // Bad input: buckets out of order, and a key missing from one period.
    const stacked = stackColumns(
      series([
        [200, 'opus', figures(5)],
        [100, 'haiku', figures(1, 0, { unpricedResponses: 2 })],
        [100, 'opus', figures(2)],
      ]),
      'cost',
    )
    expect(stacked).toEqual({
      starts: [100, 200],
      keys: ['opus', 'haiku'],
      values: [
        [2, 5],
        [1, 0],
      ],
      totals: [3, 5],
      unpriced: [2, 0],
      keyTotals: [7, 1],
      keyUnpriced: [0, 2],
    })
  })

  it('counts tokens as all four kinds', () => {
    const stacked = stackColumns(
      series([[100, '', figures(0, 1, { tokensOut: 2, cacheWrites: 4, cacheWrites1h: 4, cacheReads: 8 })]]),
      'tokens',
    )
    // The one-hour writes are part of cacheWrites, not counted twice.
    expect(stacked.totals).toEqual([15])
  })

  it('folds the smallest keys into Other past MAX_KEYS', () => {
    const many = Array.from({ length: MAX_KEYS + 3 }, (_, k): [number, string, UsageFigures] => [
      100,
      `m${k}`,
      figures(100 - k),
    ])
    const stacked = stackColumns(series(many), 'cost')
    expect(stacked.keys).toHaveLength(MAX_KEYS)
    expect(stacked.keys.at(-1)).toBe(OTHER)
    const folded = many.slice(MAX_KEYS - 1).reduce((sum, [, , f]) => sum + f.cost, 0)
    expect(stacked.values.at(-1)).toEqual([folded])
    expect(stacked.totals[0]).toBe(many.reduce((sum, [, , f]) => sum + f.cost, 0))
  })
})

describe('costLabel', () => {
  it('never shows an unpriced cost as $0', () => {
    expect(costLabel(0, 3)).toBe('unpriced')
    expect(costLabel(1.5, 1)).toMatch(/1\.50 \+ unpriced$/)
    expect(costLabel(0, 0)).toMatch(/0\.00/)
  })
})

describe('cacheSaving', () => {
  it('is what the cached tokens would have cost as input, less what they cost', () => {
    expect(cacheSaving(figures(2, 0, { uncachedCost: 8 }))).toEqual({ saved: 6, share: 0.75 })
    // Bad input: nothing priced; no division by zero.
    expect(cacheSaving(figures(0, 0, { uncachedCost: 0 }))).toEqual({ saved: 0, share: 0 })
  })
})

it('tokenKinds names all four kinds, exactly in the title', () => {
  const kinds = tokenKinds({ tokensIn: 1_234, tokensOut: 5, cacheWrites: 1_000_000, cacheReads: 0 })
  expect(kinds.short).toMatch(/in · 5 out · 1M cw · 0 cr$/)
  expect(kinds.exact).toBe('1,234 input, 5 output, 1,000,000 cache write, 0 cache read tokens')
})
