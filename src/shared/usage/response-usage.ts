/**
 * What one API response cost in tokens, as its source logged it: the unit Chronicle counts usage in. A response
 * is counted once however many lines or rows repeat it (Claude Code writes one line per content block while it
 * streams), under a key that names it within its conversation.
 */
export interface ResponseUsage {
  /**
   * Names the response within its conversation: Claude Code's `message.id` with `requestId` when the line has one,
   * a Roo/Cline request row's time. Every message that carries the same key is the same response; the repository
   * keeps the largest count of each kind it has seen for it (the final snapshot of a streamed response).
   */
  readonly responseKey: string
  /** The model as the source names it; null when it names none (then the response is unpriced). */
  readonly model: string | null
  readonly tokensIn: number
  readonly tokensOut: number
  /** Cache writes of every duration; `cacheWrites1h` of them were one-hour writes, the rest five-minute ones. */
  readonly cacheWrites: number
  readonly cacheWrites1h: number
  readonly cacheReads: number
  /** The cost in USD the source logged for this response (Roo, Cline), or null: the price table computes it. */
  readonly loggedCost: number | null
}

export const TOKEN_KINDS = ['tokensIn', 'tokensOut', 'cacheWrites', 'cacheWrites1h', 'cacheReads'] as const
export type TokenKind = (typeof TOKEN_KINDS)[number]
