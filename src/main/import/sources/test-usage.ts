/**
 * For the importers' usage tests: the responses a conversation's messages carry, merged as the repository merges
 * them (per responseKey, the largest value of each count; the message with the highest ordinal carries it).
 */
import type { MessageInput } from '../../repository/writes'
import type { ImportedConversation } from '../source-adapter'
import { TOKEN_KINDS, type ResponseUsage } from '../../../shared/usage/response-usage'

export interface MergedResponse extends ResponseUsage {
  readonly messageId: string
}

export function responsesOf(messages: readonly MessageInput[]): Map<string, MergedResponse> {
  const merged = new Map<string, MergedResponse>()
  for (const m of [...messages].sort((a, b) => a.ordinal - b.ordinal)) {
    if (!m.usage) continue
    const seen = merged.get(m.usage.responseKey)
    const next = { ...m.usage, messageId: m.id }
    if (seen) for (const kind of TOKEN_KINDS) next[kind] = Math.max(seen[kind], m.usage[kind])
    merged.set(m.usage.responseKey, next)
  }
  return merged
}

/** The sums over responses, in the order of a conversation row's columns: in, out, cache writes, cache reads. */
export function summed(responses: Map<string, MergedResponse>): number[] {
  const sum = [0, 0, 0, 0]
  for (const r of responses.values())
    [r.tokensIn, r.tokensOut, r.cacheWrites, r.cacheReads].forEach((n, i) => (sum[i] = (sum[i] ?? 0) + n))
  return sum
}

/** The conversation row's totals in the same order. */
export const totalsOf = ({ conversation: c }: ImportedConversation): number[] => [
  c.tokensIn ?? 0,
  c.tokensOut ?? 0,
  c.cacheWrites ?? 0,
  c.cacheReads ?? 0,
]
