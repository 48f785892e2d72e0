/**
 * One line of a Claude Code session file → one Chronicle message, or null for the bookkeeping lines that are not
 * messages. A line of a type we do not know that carries a message is kept as kind 'unknown' with its raw JSON
 * rather than dropped: new Claude Code versions add line types often.
 */
import type { MessageKind, Role } from '../../../../shared/domain'
import { ROLES } from '../../../../shared/domain'
import { toEpochMs } from '../../message-content'
import {
  blockTypes,
  contentText,
  isRecord,
  stringOf,
  structuredContent,
  withoutBase64,
  type JsonRecord,
} from './content-blocks'

/** Line types that record the client's state, not the conversation. */
export const BOOKKEEPING_TYPES = new Set([
  'summary',
  'queue-operation',
  'progress',
  'file-history-snapshot',
  'attachment',
  'permission-mode',
  'last-prompt',
  'custom-title',
  'ai-title',
  'agent-name',
])

/** toolUseResult repeats the tool's output (whole files, images): kept in metadata only when small. */
export const MAX_TOOL_USE_RESULT_CHARS = 8_192

export interface MappedLine {
  readonly role: Role
  readonly kind: MessageKind
  readonly text: string
  readonly content: unknown
  readonly createdAt: number | null
  readonly metadata: Record<string, unknown>
}

const ENVELOPE_METADATA = [
  'uuid',
  'parentUuid',
  'logicalParentUuid',
  'requestId',
  'isSidechain',
  'agentId',
  'gitBranch',
  'version',
] as const

export function mapLine(line: JsonRecord): MappedLine | null {
  const type = stringOf(line.type)
  if (type !== undefined && BOOKKEEPING_TYPES.has(type)) return null
  const message = isRecord(line.message) ? line.message : undefined
  const createdAt = toEpochMs(line.timestamp)
  if (type === 'user' && message) return { ...userLine(line, message), createdAt }
  if (type === 'assistant' && message)
    return { ...assistantLine(message), metadata: metadataOf(line), createdAt }
  if (type === 'system') {
    const text = stringOf(line.content) ?? `[${stringOf(line.subtype) ?? 'system'}]`
    // System lines carry their facts in their own fields (hookInfos, compactMetadata, durationMs, ...): keep them.
    const content = withoutBase64(withoutEnvelope(line))
    return { role: 'system', kind: 'event', text, content, createdAt, metadata: metadataOf(line) }
  }
  if (!message) return null
  const role = ROLES.find((r) => r === message.role) ?? 'system'
  const text = contentText(message.content)
  return { role, kind: 'unknown', text, content: withoutBase64(line), createdAt, metadata: metadataOf(line) }
}

function userLine(line: JsonRecord, message: JsonRecord): Omit<MappedLine, 'createdAt'> {
  const text = contentText(message.content)
  const content = structuredContent(message.content)
  const metadata = metadataOf(line)
  if (line.isCompactSummary === true) return { role: 'user', kind: 'summary', text, content, metadata }
  if (line.isMeta === true) return { role: 'user', kind: 'event', text, content, metadata }
  const types = blockTypes(message.content)
  if (types.length > 0 && types.every((t) => t === 'tool_result'))
    return { role: 'tool', kind: 'tool_result', text, content, metadata }
  return { role: 'user', kind: 'text', text, content, metadata }
}

function assistantLine(message: JsonRecord): Omit<MappedLine, 'createdAt' | 'metadata'> {
  const types = blockTypes(message.content)
  const only = (...wanted: string[]) => types.length > 0 && types.every((t) => wanted.includes(t))
  const kind: MessageKind = only('tool_use', 'server_tool_use')
    ? 'tool_call'
    : only('thinking', 'redacted_thinking')
      ? 'thinking'
      : 'text'
  return {
    role: 'assistant',
    kind,
    text: contentText(message.content),
    content: structuredContent(message.content),
  }
}

function withoutEnvelope(line: JsonRecord): JsonRecord {
  const rest: JsonRecord = {}
  for (const [key, value] of Object.entries(line))
    if (!['uuid', 'parentUuid', 'sessionId', 'cwd', 'userType', 'timestamp'].includes(key)) rest[key] = value
  return rest
}

function metadataOf(line: JsonRecord): Record<string, unknown> {
  const metadata: Record<string, unknown> = {}
  for (const key of ENVELOPE_METADATA) if (line[key] !== undefined) metadata[key] = line[key]
  const message = isRecord(line.message) ? line.message : undefined
  if (message) {
    if (message.id !== undefined) metadata.messageId = message.id
    if (message.model !== undefined) metadata.model = message.model
    if (message.stop_reason !== undefined) metadata.stopReason = message.stop_reason
    if (message.usage !== undefined) metadata.usage = message.usage
  }
  if (line.type === 'system') {
    for (const key of ['subtype', 'level', 'toolUseID'] as const)
      if (line[key] !== undefined) metadata[key] = line[key]
  }
  if (line.type !== 'user' && line.type !== 'assistant' && line.type !== 'system')
    metadata.lineType = line.type
  if (line.toolUseResult !== undefined) {
    const json = JSON.stringify(line.toolUseResult) ?? ''
    if (json.length <= MAX_TOOL_USE_RESULT_CHARS) metadata.toolUseResult = line.toolUseResult
    else metadata.toolUseResultOmittedChars = json.length
  }
  return metadata
}
