/**
 * Token usage per API response. Claude Code writes one response as several lines (text, thinking, each tool_use)
 * that repeat its message.id and usage, so summing lines counts a response several times. While a response
 * streams, later lines carry larger output_tokens: the largest value seen per field is the response's total.
 *
 * A response is named by `message.id` and the line's `requestId` together: a retried request can come back with
 * the same message.id under another requestId, and it was billed again. Lines without a requestId are named by
 * message.id alone; lines without a message.id by their own message (see LineUsage.responseKey).
 */
import type { ResponseUsage } from '../../../../shared/usage/response-usage'
import { TOKEN_KINDS } from '../../../../shared/usage/response-usage'
import { isRecord, stringOf, type JsonRecord } from './content-blocks'

export type Usage = Record<(typeof TOKEN_KINDS)[number], number>

/** One line's usage. A null key means the line has no message.id: it is a response of its own message. */
export type LineUsage = Omit<ResponseUsage, 'responseKey'> & { readonly responseKey: string | null }

export interface UsageTotals {
  readonly byResponse: Map<string, Usage>
  /** Lines without a message.id cannot repeat a response we know of: each counts on its own. */
  readonly unidentified: Usage
}

export const emptyUsageTotals = (): UsageTotals => ({ byResponse: new Map(), unidentified: zero() })

const zero = (): Usage => ({ tokensIn: 0, tokensOut: 0, cacheWrites: 0, cacheWrites1h: 0, cacheReads: 0 })

/** Strings, negative numbers, NaN and infinities are bad input: counted as 0. */
const count = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0

/** "<synthetic>" marks messages Claude Code made up itself (API errors, interruptions): no model was called. */
export const SYNTHETIC_MODEL = '<synthetic>'

/** The usage an assistant line reports, or null when it reports none (no usage, or a synthetic message). */
export function lineUsage(line: JsonRecord): LineUsage | null {
  const message = isRecord(line.message) ? line.message : undefined
  if (line.type !== 'assistant' || !message || !isRecord(message.usage)) return null
  const model = stringOf(message.model) ?? null
  if (model === SYNTHETIC_MODEL) return null
  const id = stringOf(message.id)
  const requestId = stringOf(line.requestId)
  const responseKey = id === undefined ? null : requestId === undefined ? id : `${id}:${requestId}`
  return { responseKey, model, ...countsOf(message.usage), loggedCost: null }
}

function countsOf(usage: JsonRecord): Usage {
  const split = isRecord(usage.cache_creation) ? usage.cache_creation : {}
  const [fiveMinutes, oneHour] = [
    count(split.ephemeral_5m_input_tokens),
    count(split.ephemeral_1h_input_tokens),
  ]
  // Older versions give only the total; a line with only the split parts still wrote their sum.
  const cacheWrites =
    usage.cache_creation_input_tokens === undefined
      ? fiveMinutes + oneHour
      : count(usage.cache_creation_input_tokens)
  return {
    tokensIn: count(usage.input_tokens),
    tokensOut: count(usage.output_tokens),
    cacheWrites,
    cacheWrites1h: Math.min(oneHour, cacheWrites),
    cacheReads: count(usage.cache_read_input_tokens),
  }
}

export function addUsage(totals: UsageTotals, line: LineUsage): void {
  if (line.responseKey === null) {
    for (const key of TOKEN_KINDS) totals.unidentified[key] += line[key]
    return
  }
  const seen = totals.byResponse.get(line.responseKey)
  if (!seen) totals.byResponse.set(line.responseKey, pick(line))
  else for (const key of TOKEN_KINDS) seen[key] = Math.max(seen[key], line[key])
}

const pick = (line: LineUsage): Usage => {
  const usage = zero()
  for (const key of TOKEN_KINDS) usage[key] = line[key]
  return usage
}

export function totalUsage(totals: UsageTotals): Usage {
  const sum = { ...totals.unidentified }
  for (const usage of totals.byResponse.values()) for (const key of TOKEN_KINDS) sum[key] += usage[key]
  return sum
}
