/**
 * Token usage per API response. Claude Code writes one response as several lines (text, thinking, each tool_use)
 * that repeat its message.id and usage, so summing lines counts a response several times. While a response
 * streams, later lines carry larger output_tokens: the largest value seen per field is the response's total.
 */
import type { JsonRecord } from './content-blocks'

export interface Usage {
  tokensIn: number
  tokensOut: number
  cacheWrites: number
  cacheReads: number
}

export interface UsageTotals {
  readonly byResponse: Map<string, Usage>
  /** Lines without a message.id cannot repeat a response we know of: each counts on its own. */
  readonly unidentified: Usage
}

export const emptyUsageTotals = (): UsageTotals => ({ byResponse: new Map(), unidentified: zero() })

const KEYS = ['tokensIn', 'tokensOut', 'cacheWrites', 'cacheReads'] as const

const zero = (): Usage => ({ tokensIn: 0, tokensOut: 0, cacheWrites: 0, cacheReads: 0 })

const count = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0

function usageOf(usage: JsonRecord): Usage {
  return {
    tokensIn: count(usage.input_tokens),
    tokensOut: count(usage.output_tokens),
    cacheWrites: count(usage.cache_creation_input_tokens),
    cacheReads: count(usage.cache_read_input_tokens),
  }
}

export function addUsage(totals: UsageTotals, responseId: string | undefined, usage: JsonRecord): void {
  const line = usageOf(usage)
  if (responseId === undefined) {
    for (const key of KEYS) totals.unidentified[key] += line[key]
    return
  }
  const seen = totals.byResponse.get(responseId)
  if (!seen) totals.byResponse.set(responseId, line)
  else for (const key of KEYS) seen[key] = Math.max(seen[key], line[key])
}

export function totalUsage(totals: UsageTotals): Usage {
  const sum = { ...totals.unidentified }
  for (const usage of totals.byResponse.values()) for (const key of KEYS) sum[key] += usage[key]
  return sum
}
