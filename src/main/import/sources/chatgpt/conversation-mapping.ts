/**
 * One element of conversations.json as a Chronicle conversation: the active thread becomes the messages, and what
 * is not on it (branches, empty messages, broken links) is counted in the metadata so nothing disappears silently.
 *
 * Each message is named by its mapping node id, which ChatGPT keeps for the life of the conversation: two exports
 * of one conversation (a later one with more turns, an earlier one, a fragment) name the same message alike, so
 * the engine merges them message by message. Ordinals are positions on this read's thread.
 */
import { createHash } from 'node:crypto'
import type { EpochMs } from '../../../../shared/domain'
import type { MessageInput } from '../../../repository/writes'
import { toEpochMs } from '../../message-content'
import { conversationIdFor, keyedMessageIdentity, type ImportedConversation } from '../../source-adapter'
import { asString, isRecord, maxOf, minOf, omit } from '../roo-cline/json-values'
import { titleFrom } from '../roo-cline/title'
import { activeThread } from './conversation-thread'
import { mapMessage, type MappedMessage } from './message-mapping'

export type ConversationResult =
  /** `problems`: what had to be repaired to read the thread (see conversation-thread.ts). */
  | { readonly ok: true; readonly value: ImportedConversation; readonly problems: readonly string[] }
  /** `sourceId` when the element has a usable id, so the problem can name the conversation. */
  | { readonly ok: false; readonly reason: string; readonly sourceId?: string }

const MAX_ID_CHARS = 200
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
const CONTROL = /[\u0000-\u001f\u007f]/

/**
 * The id becomes part of Chronicle ids, file names of exports and URLs: it must not be able to name a path.
 * Real ids are UUIDs; anything else that is not a plain token is refused rather than rewritten, so the same
 * conversation can never end up under two ids.
 */
export function idProblem(id: unknown): string | null {
  if (typeof id !== 'string' || id.trim() === '') return 'has no id'
  const shown = JSON.stringify(id.length > 60 ? `${id.slice(0, 60)}…` : id)
  if (id.length > MAX_ID_CHARS) return `has an id longer than ${MAX_ID_CHARS} characters (${shown})`
  if (/[/\\]/.test(id) || CONTROL.test(id) || id === '.' || id === '..')
    return `has an id with path separators or control characters (${shown})`
  return null
}

/**
 * A node id as a message key. Real ones are UUIDs or short names (`client-created-root`); one that is empty, huge
 * or holds control characters is named by its hash instead, which is as stable across exports as the id itself.
 */
function messageKey(nodeId: string): string {
  if (nodeId !== '' && nodeId.length <= MAX_ID_CHARS && !CONTROL.test(nodeId)) return nodeId
  return `node-${createHash('sha256').update(nodeId).digest('hex').slice(0, 32)}`
}

/** The model most assistant messages were written by; on a tie, the one used last. */
function mainModel(messages: readonly MappedMessage[]): string | undefined {
  const counts = new Map<string, number>()
  let best: string | undefined
  for (const m of messages) {
    if (m.role !== 'assistant' || !m.modelSlug) continue
    const n = (counts.get(m.modelSlug) ?? 0) + 1
    counts.set(m.modelSlug, n)
    if (best === undefined || n >= (counts.get(best) ?? 0)) best = m.modelSlug
  }
  return best
}

const OWN_FIELDS = ['id', 'conversation_id', 'title', 'create_time', 'update_time', 'mapping', 'current_node']

export function mapConversation(raw: unknown, fallbackTime: EpochMs): ConversationResult {
  if (!isRecord(raw)) return { ok: false, reason: 'is not a conversation (not an object)' }
  const sourceId = raw.id ?? raw.conversation_id
  const problem = idProblem(sourceId)
  if (problem) return { ok: false, reason: problem }
  if (!isRecord(raw.mapping)) {
    const what = raw.mapping === undefined ? 'no message mapping' : 'a message mapping that is not an object'
    return { ok: false, reason: `has ${what}`, sourceId: sourceId as string }
  }
  const id = conversationIdFor('chatgpt', sourceId as string)

  const thread = activeThread(raw.mapping, raw.current_node)
  const mapped: MappedMessage[] = []
  let emptyMessages = 0
  for (const node of thread.nodes) {
    const message = mapMessage(node)
    if (message) mapped.push(message)
    else if (node.message) emptyMessages++
  }
  const messages: MessageInput[] = mapped.map((m, ordinal) => ({
    ...keyedMessageIdentity(id, messageKey(m.nodeId), ordinal),
    role: m.role,
    kind: m.kind,
    createdAt: m.createdAt,
    text: m.text,
    ...(m.content !== undefined && { content: m.content }),
    metadata: m.metadata,
  }))

  const times = messages.map((m) => m.createdAt)
  const createdAt = toEpochMs(raw.create_time) ?? minOf(times) ?? fallbackTime
  const lastActivityAt = maxOf([...times, createdAt]) ?? createdAt
  // The export's own update_time says how recent this read is; without one, its newest message does (the thread's
  // messages only grow), and a conversation with no time at all falls back to the file's mtime.
  const updatedAt = maxOf([toEpochMs(raw.update_time), lastActivityAt]) ?? lastActivityAt
  const firstPrompt = mapped.find((m) => m.role === 'user')?.text
  return {
    ok: true,
    problems: thread.problems,
    value: {
      conversation: {
        id,
        source: 'chatgpt',
        sourceId: sourceId as string,
        title: titleFrom(asString(raw.title)) ?? titleFrom(firstPrompt) ?? `ChatGPT conversation ${sourceId}`,
        model: mainModel(mapped) ?? asString(raw.default_model_slug) ?? null,
        createdAt,
        updatedAt,
        lastActivityAt,
        metadata: {
          ...omit(raw, OWN_FIELDS),
          format: 'chatgpt-export',
          currentNode: asString(raw.current_node) ?? null,
          branches: thread.branches,
          ...(emptyMessages > 0 && { emptyMessagesSkipped: emptyMessages }),
          ...(thread.problems.length > 0 && { threadProblems: thread.problems }),
        },
      },
      messages,
    },
  }
}
