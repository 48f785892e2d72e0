/**
 * What each assistant message of the corpus cost in tokens, as the assistants log it: the context grows with the
 * conversation and is mostly read from the cache (Claude Code), what came since the last response is written to
 * it, the answer's length is its output. ChatGPT exports carry no token counts, so its messages carry none.
 *
 * Drawn from a stream of its own (streamSeed(seed, index, USAGE_STREAM)), so adding usage changed no text, title,
 * time or id of the corpus: every other scenario's corpus is what it was.
 */
import type { Source } from '../../src/shared/domain'
import type { ResponseUsage } from '../../src/shared/usage/response-usage'
import type { MessageInput } from '../../src/main/repository/writes'
import { createPrng, streamSeed } from './prng'

const USAGE_STREAM = 0x75736167
/** Claude Code compacts a conversation near this many context tokens; the context starts again smaller. */
const COMPACT_AT = 160_000
const AFTER_COMPACT = 20_000
/** The system prompt and tool definitions every request carries. */
const SYSTEM_TOKENS = 12_000

const tokensOf = (text: string) => Math.ceil(text.length / 4)

/** A rough logged cost for Roo and Cline, which log their own (USD per million tokens, Sonnet-like). */
const loggedCostOf = (u: Omit<ResponseUsage, 'loggedCost' | 'responseKey' | 'model'>) =>
  Math.round((u.tokensIn * 3 + u.tokensOut * 15 + u.cacheWrites * 3.75 + u.cacheReads * 0.3) * 1000) / 1e9

export function withResponseUsage(
  seed: number,
  index: number,
  source: Source,
  model: string,
  messages: readonly MessageInput[],
): MessageInput[] {
  if (source === 'chatgpt') return [...messages]
  const rng = createPrng(streamSeed(seed, index, USAGE_STREAM))
  // Some users' Claude Code writes one-hour cache entries.
  const oneHourCache = source === 'claude-code' && rng.chance(0.2)
  let context = SYSTEM_TOKENS
  let fresh = 0
  return messages.map((m) => {
    if (m.role !== 'assistant') {
      fresh += tokensOf(m.text)
      return m
    }
    if (context > COMPACT_AT) context = AFTER_COMPACT
    const cacheWrites = fresh + (rng.chance(0.05) ? rng.int(1_000, 8_000) : 0)
    const counts = {
      tokensIn: rng.int(1, 40),
      tokensOut: tokensOf(m.text) + Math.round(rng.logNormal(150, 1)),
      cacheWrites,
      cacheWrites1h: oneHourCache ? cacheWrites : 0,
      cacheReads: context,
    }
    context += cacheWrites + counts.tokensOut
    fresh = 0
    const usage: ResponseUsage = {
      ...counts,
      responseKey: source === 'claude-code' ? `msg_${m.id}:req_${m.id}` : `req-${m.ordinal}`,
      model,
      loggedCost: source === 'claude-code' ? null : loggedCostOf(counts),
    }
    return { ...m, usage }
  })
}
