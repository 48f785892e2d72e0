/**
 * What every assistant's importer provides. The engine (import-engine.ts) finds units, decides from file
 * fingerprints whether a unit changed, and writes; an adapter only knows its format.
 *
 * A unit is what one read turns into conversations: a Roo/Cline task folder, a Claude Code session file, a Cline
 * SDK session file, a ChatGPT export. Its `files` are what the engine fingerprints (size and mtime): when none
 * changed, the unit is not read again.
 */
import type { Source } from '../../shared/domain'
import type { ConversationInput, MessageInput } from '../repository/writes'
import type { ImportProblem } from './import-summary'

export interface SourceUnit {
  /** Stable identity of the unit: its absolute path (folder or file). */
  readonly key: string
  readonly source: Source
  /** Absolute paths whose size and mtime decide whether the unit changed (existing files only). */
  readonly files: readonly string[]
  /** Set when the unit could not even be listed (file-errors.ts unlistableFolder): reported, never read. */
  readonly problem?: string
}

export interface ImportedConversation {
  /**
   * The conversation as this read sees it. Its `updatedAt` decides whether this read is the newest data the
   * repository has seen of it: an older read (an earlier export, a stale copy of a task folder) only adds messages
   * the repository lacks, and never changes the title, the totals or a message it already holds.
   */
  readonly conversation: ConversationInput
  /**
   * In the source's order from `firstOrdinal`; ordinals are 0-based and dense. Each message's id must name the same
   * message in every read of the source (see keyedMessageIdentity): the engine merges reads by id, keeps messages
   * a newer read no longer has (marked as gone from their source) and never deletes one.
   */
  readonly messages: readonly MessageInput[]
  /**
   * Ordinal of messages[0], 0 unless the read went on from a checkpoint: the messages before it were imported
   * earlier and stay as they are.
   */
  readonly firstOrdinal?: number
}

/** A read that can be continued: the conversations, and where the next read may go on from. */
export interface UnitContents {
  readonly conversations: readonly ImportedConversation[]
  /**
   * The adapter's own note (JSON text) of where it stopped, stored with the unit in the transaction that writes
   * these conversations; null when the next read must start from the beginning.
   */
  readonly checkpoint: string | null
  /**
   * What the read could not take in while it still imported the rest: a file cut in the middle, one conversation
   * that cannot be read, a thread that had to be repaired. Reported in the import summary; a retryable one makes the
   * engine read the unit again next time even when its files look unchanged.
   */
  readonly problems?: readonly ImportProblem[]
}

/** What readUnit gives: the conversations alone, or with the problems met on the way. */
export type UnitRead = readonly ImportedConversation[] | Omit<UnitContents, 'checkpoint'>

/** A read as contents that cannot be continued (readUnit has no checkpoint). */
export const contentsOf = (read: UnitRead): UnitContents =>
  isConversationList(read) ? { conversations: read, checkpoint: null } : { ...read, checkpoint: null }

/** Just the conversations of a read (tests and callers that report problems elsewhere). */
export const conversationsOf = (read: UnitRead): readonly ImportedConversation[] =>
  isConversationList(read) ? read : read.conversations

const isConversationList = (read: UnitRead): read is readonly ImportedConversation[] => Array.isArray(read)

export interface SourceAdapter {
  readonly source: Source
  /** Units under `root` (the root itself may be a unit). Reads directories only, never file contents. */
  findUnits(root: string): AsyncIterable<SourceUnit>
  /**
   * Reads one unit. Throws UnitReadError for bad input (corrupt JSON, binary junk, a directory where a file should
   * be, ...); the engine reports it with the unit's path and goes on with the rest.
   */
  readUnit(unit: SourceUnit): Promise<UnitRead>
  /**
   * For formats that grow by appending (JSONL): reads the unit on from the checkpoint the previous read returned
   * (null: from the start). The adapter checks that the checkpoint still fits the file and starts over if not.
   */
  readUnitFrom?(unit: SourceUnit, checkpoint: string | null): Promise<UnitContents>
  /**
   * The engine is about to read many units of one root; the returned function says it is done. Between the two,
   * an adapter may reuse what it learned about shared files (Claude Code: the project's summary heads).
   */
  beginPass?(): () => void
}

/** Bad input in one unit: reported with its path and reason, never fatal to the import. */
export class UnitReadError extends Error {
  override readonly name = 'UnitReadError'
  constructor(
    readonly path: string,
    readonly reason: string,
    /** True when the file is probably still being written (truncated JSON at the end): retried, not failed. */
    readonly retryable = false,
  ) {
    super(`${path}: ${reason}`)
  }
}

/** Conversation ids are derived, so a re-import finds the same rows: `roo:<task id>`, `claude-code:<session>`. */
export const conversationIdFor = (source: Source, sourceId: string): string => `${source}:${sourceId}`

/**
 * Message ids are derived from the conversation and a key that names the message in its source: the source's own
 * id where the format has one (a ChatGPT node id, a UI row's time), otherwise its position, which is stable only
 * for formats that grow by appending (Claude Code and Cline SDK sessions).
 */
export const messageIdFor = (conversationId: string, key: string | number): string =>
  `${conversationId}#${key}`

/** The fields that place a message whose key is its position: its derived id, its conversation and its position. */
export const messageIdentity = (conversationId: string, ordinal: number) => ({
  id: messageIdFor(conversationId, ordinal),
  conversationId,
  ordinal,
})

/** The same for a message the source names itself: `key` must never be reused for another message of the source. */
export const keyedMessageIdentity = (conversationId: string, key: string, ordinal: number) => ({
  id: messageIdFor(conversationId, key),
  conversationId,
  ordinal,
})
