/**
 * Roo's and Cline's per-request figures as ResponseUsage, the unit Chronicle counts usage in.
 *
 * - A say:"api_req_started" UI row is one API request: Roo and Cline fill its text with the request's tokens and
 *   cost when the response ends (and rewrite it in place while it streams), so a row read later has the final
 *   figures, and a row still in flight has none.
 * - Roo's say:"condense_context" row carries the cost of the request that wrote the summary (contextCondense.cost),
 *   which Roo adds to the task's totalCost; it logs no tokens for it.
 * - API history items carry `metrics` where only the API history is read: classic Cline's
 *   `{tokens{prompt, completion, cached}, cost}` per response, the Cline SDK's `{inputTokens, outputTokens,
 *   cacheReadTokens, cacheWriteTokens, cost}` on the last assistant message of each turn (a turn's requests summed).
 *
 * Counts that are not finite non-negative numbers are bad input and count 0; a cost that is not one is no cost.
 */
import type { ResponseUsage } from '../../../../shared/usage/response-usage'
import { asNumber, asString, isRecord, type JsonRecord } from './json-values'

const count = (value: unknown): number => {
  const n = asNumber(value)
  return n !== undefined && n > 0 ? n : 0
}

const loggedCost = (value: unknown): number | null => {
  const n = asNumber(value)
  return n !== undefined && n >= 0 ? n : null
}

/** Classic Cline writes modelInfo.modelId, the SDK modelInfo.id. */
export const modelOfInfo = (info: unknown): string | undefined =>
  isRecord(info)
    ? asString(info.modelId) || asString(info.id) || asString(info.model) || undefined
    : undefined

/**
 * The input that was not read from or written to the cache. Roo 3.29.5 and later log the whole prompt (input plus
 * cache writes plus cache reads) as tokensIn for every protocol, and earlier versions did so for the OpenAI
 * protocol; earlier Anthropic-protocol rows log the uncached input alone. A row says no version, but a prompt is
 * never smaller than its cached part: a tokensIn below it can only be the uncached remainder.
 */
function uncachedInput(tokensIn: number, cached: number, protocol: unknown): number {
  if (protocol === 'openai' || (cached > 0 && tokensIn >= cached)) return Math.max(0, tokensIn - cached)
  return tokensIn
}

/** An api_req_started row's parsed text as usage; null while it has no figures at all (a request in flight). */
export function requestUsage(
  info: JsonRecord,
  responseKey: string,
  model: string | null,
): ResponseUsage | null {
  const figures = [info.tokensIn, info.tokensOut, info.cacheWrites, info.cacheReads, info.cost]
  if (!figures.some((f) => asNumber(f) !== undefined)) return null
  const cacheWrites = count(info.cacheWrites)
  const cacheReads = count(info.cacheReads)
  return {
    responseKey,
    model,
    tokensIn: uncachedInput(count(info.tokensIn), cacheWrites + cacheReads, info.apiProtocol),
    tokensOut: count(info.tokensOut),
    cacheWrites,
    cacheWrites1h: 0,
    cacheReads,
    loggedCost: loggedCost(info.cost),
  }
}

/** The summarising request of a condense_context row: its cost alone. */
export function condenseUsage(
  row: JsonRecord,
  responseKey: string,
  model: string | null,
): ResponseUsage | null {
  const cost = isRecord(row.contextCondense) ? loggedCost(row.contextCondense.cost) : null
  if (cost === null) return null
  return { ...NO_TOKENS, responseKey, model, loggedCost: cost }
}

const NO_TOKENS = { tokensIn: 0, tokensOut: 0, cacheWrites: 0, cacheWrites1h: 0, cacheReads: 0 }

/** An API history item's metrics as usage, or null when it has none. */
export function itemUsage(item: unknown, responseKey: string): ResponseUsage | null {
  const metrics = isRecord(item) ? item.metrics : undefined
  if (!isRecord(item) || !isRecord(metrics)) return null
  const tokens = isRecord(metrics.tokens) ? metrics.tokens : {}
  return {
    responseKey,
    model: modelOfInfo(item.modelInfo) ?? null,
    tokensIn: count(metrics.inputTokens ?? tokens.prompt),
    tokensOut: count(metrics.outputTokens ?? tokens.completion),
    cacheWrites: count(metrics.cacheWriteTokens),
    cacheWrites1h: 0,
    cacheReads: count(metrics.cacheReadTokens ?? tokens.cached),
    loggedCost: loggedCost(metrics.cost),
  }
}
