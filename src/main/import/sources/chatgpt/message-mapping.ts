/**
 * One node of the active thread as a Chronicle message (without id and ordinal, which depend on what is kept).
 */
import type { EpochMs, MessageKind, Role } from '../../../../shared/domain'
import { toEpochMs, toolCallText } from '../../message-content'
import { asString, isRecord } from '../roo-cline/json-values'
import type { ThreadNode } from './conversation-thread'
import { messageBody } from './content-types'

export interface MappedMessage {
  /** The mapping node's id: the message's name in every export of its conversation. */
  readonly nodeId: string
  readonly role: Role
  readonly kind: MessageKind
  readonly text: string
  readonly content?: unknown
  readonly createdAt: EpochMs | null
  readonly modelSlug?: string
  readonly metadata: Record<string, unknown>
}

const ROLES: Record<string, Role> = { user: 'user', assistant: 'assistant', system: 'system', tool: 'tool' }

/**
 * Null when there is nothing to show: the root's null message, or a message without any text (the empty system
 * prompt every conversation starts with, empty preludes to tool calls). The caller counts the empty ones.
 */
export function mapMessage(node: ThreadNode): MappedMessage | null {
  const message = node.message
  if (!message) return null
  const author = isRecord(message.author) ? message.author : {}
  const authorRole = asString(author.role) ?? 'unknown'
  const meta = isRecord(message.metadata) ? message.metadata : {}
  // Custom instructions and memory are injected as hidden messages: context the model saw, not something said in
  // this chat, so they are kept as system messages rather than shown as the user speaking.
  const hidden = meta.is_visually_hidden_from_conversation === true
  const recipient = asString(message.recipient)
  const toolRecipient = recipient !== undefined && recipient !== 'all' ? recipient : undefined
  const body = messageBody(message.content, authorRole === 'assistant' ? toolRecipient : undefined)
  if (body.text.trim() === '') return null

  const role: Role = hidden ? 'system' : (ROLES[authorRole] ?? 'system')
  let { kind = 'text', text, content } = body
  if (kind === 'unknown') {
    // Kept as it is: an unknown shape says nothing about being a call or a result.
  } else if (role === 'tool') kind = 'tool_result'
  else if (role === 'assistant' && toolRecipient && kind === 'text') {
    // An assistant message addressed to a tool (browser, dalle, ...) is a call, whatever its content type.
    kind = 'tool_call'
    text = toolCallText(toolRecipient, text)
    content = message.content
  }

  const modelSlug = asString(meta.model_slug)
  const status = asString(message.status)
  const metadata: Record<string, unknown> = {
    nodeId: node.id,
    contentType: isRecord(message.content) ? (asString(message.content.content_type) ?? null) : null,
    ...(modelSlug && { modelSlug }),
    ...(authorRole !== role && { authorRole }),
    ...(asString(author.name) && { authorName: author.name }),
    ...(toolRecipient && { recipient: toolRecipient }),
    ...(hidden && { hidden }),
    ...(status && status !== 'finished_successfully' && { status }),
  }
  return {
    nodeId: node.id,
    role,
    kind,
    text,
    ...(content !== undefined && { content }),
    createdAt: toEpochMs(message.create_time),
    ...(modelSlug && { modelSlug }),
    metadata,
  }
}
