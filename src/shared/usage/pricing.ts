/**
 * Prices per token and the cost of a response under them. Pure: the price book itself is loaded on the main side
 * (src/main/usage/) from the bundled, dated table or the file the user chose.
 */
import type { ResponseUsage } from './response-usage'

/** USD per token. */
export interface TokenPrices {
  readonly input: number
  readonly output: number
  readonly cacheWrite5m: number
  readonly cacheWrite1h: number
  readonly cacheRead: number
}

export interface ModelPrice extends TokenPrices {
  /** The long-context tier: every token of a response whose prompt exceeds LONG_CONTEXT_TOKENS costs this. */
  readonly longContext?: TokenPrices
}

/** Anthropic's and Google's long-context threshold: the prompt (input, cache writes and cache reads) above it. */
export const LONG_CONTEXT_TOKENS = 200_000

export interface PriceBook {
  /** The day the table's prices were taken (YYYY-MM-DD) and where from, for the UI and the audit trail. */
  readonly date: string
  readonly source: string
  /** null: the model is not in the table (shown as "unpriced", never as $0). */
  priceFor(model: string | null): ModelPrice | null
}

export interface ResponseCost {
  readonly cost: number
  /** What the same response would have cost with every cached token billed as plain input. */
  readonly uncached: number
}

type Tokens = Pick<ResponseUsage, 'tokensIn' | 'tokensOut' | 'cacheWrites' | 'cacheWrites1h' | 'cacheReads'>

export function costOf(usage: Tokens, price: ModelPrice): ResponseCost {
  const prompt = usage.tokensIn + usage.cacheWrites + usage.cacheReads
  const p = prompt > LONG_CONTEXT_TOKENS && price.longContext ? price.longContext : price
  const writes5m = Math.max(0, usage.cacheWrites - usage.cacheWrites1h)
  const cost =
    usage.tokensIn * p.input +
    usage.tokensOut * p.output +
    writes5m * p.cacheWrite5m +
    Math.min(usage.cacheWrites1h, usage.cacheWrites) * p.cacheWrite1h +
    usage.cacheReads * p.cacheRead
  return { cost, uncached: prompt * p.input + usage.tokensOut * p.output }
}
