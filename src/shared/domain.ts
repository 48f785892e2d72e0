/** The vocabulary every layer shares: where a conversation came from, who spoke, and the shapes the UI shows. */

export const SOURCES = ['roo', 'cline', 'claude-code', 'chatgpt', 'chronicle'] as const
export type Source = (typeof SOURCES)[number]

export const ROLES = ['user', 'assistant', 'system', 'tool'] as const
export type Role = (typeof ROLES)[number]

export const MESSAGE_KINDS = [
  'text',
  'tool_call',
  'tool_result',
  'thinking',
  'summary',
  'event',
  'unknown',
] as const
export type MessageKind = (typeof MESSAGE_KINDS)[number]

/** Epoch milliseconds, UTC. Every timestamp in Chronicle uses this one unit, whatever the source wrote. */
export type EpochMs = number

export interface ConversationSummary {
  readonly id: string
  readonly source: Source
  readonly sourceId: string
  readonly title: string
  readonly workspace: string | null
  readonly model: string | null
  readonly createdAt: EpochMs
  readonly updatedAt: EpochMs
  readonly lastActivityAt: EpochMs
  readonly tokensIn: number
  readonly tokensOut: number
  readonly cacheReads: number
  readonly cacheWrites: number
  /** USD: the responses' costs, logged or priced (see `unpriced`). */
  readonly cost: number
  /** Responses whose model the price table lacks: their cost is unknown, not $0, and left out of `cost`. */
  readonly unpriced: number
  readonly parentId: string | null
  readonly starred: boolean
  readonly archived: boolean
  readonly tags: readonly string[]
  readonly deletedAt: EpochMs | null
  readonly messageCount: number
}

export interface Message {
  readonly id: string
  readonly conversationId: string
  readonly ordinal: number
  readonly role: Role
  readonly kind: MessageKind
  readonly createdAt: EpochMs | null
  readonly text: string
  readonly content: unknown
  readonly deviceId: string | null
  readonly parentId: string | null
  readonly metadata: Record<string, unknown>
  /**
   * Only a preview is here: the body is on another machine of the library and is being fetched from the sync
   * worker (src/main/bodies/); `text` is its first characters.
   */
  readonly bodyElsewhere: boolean
  /** When an import found the message gone from its source (kept: only the user deletes); null while it is there. */
  readonly leftSourceAt: EpochMs | null
}

export interface Page<T> {
  readonly items: readonly T[]
  /** Opaque; pass it back to get the next page. Null on the last page. */
  readonly nextCursor: string | null
}

export interface UsageTotals {
  readonly conversations: number
  readonly messages: number
  readonly tokensIn: number
  readonly tokensOut: number
  readonly cost: number
}

export interface StatsGroup extends UsageTotals {
  readonly key: string
}

export interface RepositoryStats {
  readonly totals: UsageTotals
  readonly bySource: readonly StatsGroup[]
  readonly byWorkspace: readonly StatsGroup[]
  readonly byModel: readonly StatsGroup[]
}

export interface SearchHit {
  /** A match in a message body, or in a conversation title (then messageId is null). */
  readonly kind: 'message' | 'title'
  readonly conversationId: string
  readonly messageId: string | null
  readonly ordinal: number | null
  readonly conversationTitle: string
  readonly source: Source
  readonly workspace: string | null
  readonly role: Role | null
  readonly createdAt: EpochMs | null
  /** Plain text with the matched words wrapped in SNIPPET_MARK_START / SNIPPET_MARK_END. */
  readonly snippet: string
  readonly score: number
}

/** Control characters that cannot occur in indexed text, so a renderer can turn them into highlights safely. */
export const SNIPPET_MARK_START = '\u0002'
export const SNIPPET_MARK_END = '\u0003'
