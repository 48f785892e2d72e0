/**
 * costOf by hand: each token kind at its own price, the long-context tier for every token of a prompt over the
 * threshold (and not at it), a model without a tier keeping its prices, and bad counts (bad input: more one-hour
 * writes than writes in all, as a malformed log may claim) never costing more than the writes there were.
 */
import { describe, expect, it } from 'vitest'
import { costOf, LONG_CONTEXT_TOKENS, type ModelPrice } from './pricing'

const M = 1e-6
const PRICE: ModelPrice = {
  input: 3 * M,
  output: 15 * M,
  cacheWrite5m: 3.75 * M,
  cacheWrite1h: 6 * M,
  cacheRead: 0.3 * M,
  longContext: {
    input: 6 * M,
    output: 22.5 * M,
    cacheWrite5m: 7.5 * M,
    cacheWrite1h: 12 * M,
    cacheRead: 0.6 * M,
  },
}
const none = { tokensIn: 0, tokensOut: 0, cacheWrites: 0, cacheWrites1h: 0, cacheReads: 0 }

describe('costOf', () => {
  it('prices each kind of token at its own price, and the uncached cost as if every cached token were input', () => {
    const usage = {
      tokensIn: 100,
      tokensOut: 200,
      cacheWrites: 3_000,
      cacheWrites1h: 1_000,
      cacheReads: 10_000,
    }
    // 100 × $3 + 200 × $15 + 2,000 × $3.75 + 1,000 × $6 + 10,000 × $0.30 per Mtok = $0.0198.
    expect(costOf(usage, PRICE).cost).toBeCloseTo(0.0198, 12)
    // 13,100 prompt tokens × $3 + 200 × $15 = $0.0423.
    expect(costOf(usage, PRICE).uncached).toBeCloseTo(0.0423, 12)
  })

  it('bills every token at the long-context prices only above the threshold', () => {
    const at = { ...none, tokensIn: LONG_CONTEXT_TOKENS, tokensOut: 1_000 }
    expect(costOf(at, PRICE).cost).toBeCloseTo(0.6 + 0.015, 12)
    const over = { ...at, tokensIn: LONG_CONTEXT_TOKENS + 1 }
    expect(costOf(over, PRICE).cost).toBeCloseTo((LONG_CONTEXT_TOKENS + 1) * 6 * M + 0.0225, 12)
    const { longContext: _, ...flat } = PRICE
    expect(costOf(over, flat).cost).toBeCloseTo((LONG_CONTEXT_TOKENS + 1) * 3 * M + 0.015, 12)
  })

  it('never bills more one-hour writes than writes (bad input: 1h count above the total)', () => {
    const usage = { ...none, cacheWrites: 100, cacheWrites1h: 500 }
    expect(costOf(usage, PRICE).cost).toBeCloseTo(100 * 6 * M, 12)
  })
})
