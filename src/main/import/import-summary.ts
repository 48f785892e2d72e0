/** What an import did, as the CLI prints it and --json returns it. */
export interface EntityCounts {
  added: number
  updated: number
  unchanged: number
  removed: number
  /** Held messages the read no longer found in their source: kept, and marked (messages.left_source_at). */
  gone: number
}

export interface ImportProblem {
  readonly path: string
  readonly reason: string
  /** Probably still being written: tried again on the next import or change, not a permanent failure. */
  readonly retryable: boolean
  /** The conversation the problem is about, when it is one conversation of the unit. */
  readonly conversationId?: string
}

export interface ImportSummary {
  readonly conversations: EntityCounts
  readonly messages: EntityCounts
  /** Units read because they were new or changed. */
  unitsRead: number
  /** Units skipped because their files had not changed since the last import. */
  unitsUnchanged: number
  readonly problems: ImportProblem[]
}

export const emptySummary = (): ImportSummary => ({
  conversations: { added: 0, updated: 0, unchanged: 0, removed: 0, gone: 0 },
  messages: { added: 0, updated: 0, unchanged: 0, removed: 0, gone: 0 },
  unitsRead: 0,
  unitsUnchanged: 0,
  problems: [],
})
