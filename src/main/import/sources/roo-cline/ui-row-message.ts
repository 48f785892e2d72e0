/**
 * One UI row as the message the assistant's own window shows for it. Each say/ask kind has a role and a kind; API
 * bookkeeping rows are skipped on purpose, and so are the empty rows streaming leaves behind (the window hides
 * them too); any other kind is kept as 'unknown' with the raw row, so nothing disappears without a trace.
 */
import type { MessageKind, Role } from '../../../../shared/domain'
import { imageReference, imageText, toEpochMs, toolCallText } from '../../message-content'
import type { MessageInput } from '../../../repository/writes'
import { scrubInlineData } from './content-blocks'
import { asString, isRecord, omit, type JsonRecord } from './json-values'
import { rowName } from './ui-messages'

type Mapping = readonly [Role, MessageKind] | 'skip'

const SKIPPED = [
  'api_req_started',
  'api_req_finished',
  'api_req_retried',
  'api_req_retry_delayed',
  'api_req_rate_limit_wait',
  'api_req_deleted',
  'deleted_api_reqs',
  'checkpoint_saved',
  'checkpoint_created',
  'resume_task',
  'resume_completed_task',
  'shell_integration_warning',
  'mcp_server_request_started',
  'browser_session_status',
]
// Who typed a row decides its role: the prompt and the user's answers, feedback and edits are the user's words.
const USER_ROWS = ['task', 'user_feedback', 'user_feedback_diff']
const GROUPS: readonly (readonly [Role, MessageKind, readonly string[]])[] = [
  ['user', 'text', USER_ROWS],
  ['assistant', 'text', ['text', 'completion_result', 'followup', 'plan_mode_respond']],
  ['assistant', 'thinking', ['reasoning']],
  // Roo's condensation row carries the summary; Cline's condense and summarize_task asks propose one.
  ['assistant', 'summary', ['condense_context', 'condense', 'summarize_task']],
  [
    'assistant',
    'tool_call',
    [
      'tool',
      'command',
      'use_mcp_server',
      'browser_action_launch',
      'browser_action',
      'new_task',
      'load_mcp_documentation',
      'report_bug',
    ],
  ],
  [
    'tool',
    'tool_result',
    [
      'command_output',
      'mcp_server_response',
      'browser_action_result',
      'subtask_result',
      'codebase_search_result',
    ],
  ],
  [
    'system',
    'event',
    [
      'error',
      'api_req_failed',
      'mistake_limit_reached',
      'auto_approval_max_req_reached',
      'diff_error',
      'rooignore_error',
      'clineignore_error',
      'condense_context_error',
      'sliding_window_truncation',
      'too_many_tools_warning',
      'error_retry',
      'info',
    ],
  ],
]
const MAPPINGS = new Map<string, Mapping>([
  ...SKIPPED.map((name) => [name, 'skip'] as const),
  ...GROUPS.flatMap(([role, kind, names]) => names.map((name) => [name, [role, kind]] as const)),
])

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/** Text and structured content of one row, by kind: tool rows carry JSON, followups a {question} object. */
function rowBody(row: JsonRecord, name: string, kind: MessageKind): { text: string; content?: unknown } {
  const raw = asString(row.text) ?? ''
  const parsed = raw.startsWith('{') ? parseJson(raw) : undefined
  if (kind === 'tool_call') {
    if (isRecord(parsed))
      return {
        text: toolCallText(asString(parsed.tool) ?? name, omit(parsed, ['tool'])),
        content: scrubInlineData(parsed),
      }
    return { text: toolCallText(name, raw) }
  }
  if (kind === 'summary' && isRecord(row.contextCondense))
    return { text: asString(row.contextCondense.summary) ?? raw, content: row.contextCondense }
  if (kind === 'thinking') return { text: raw || (asString(row.reasoning) ?? '') }
  if (isRecord(parsed)) {
    const prose = asString(parsed.question) ?? asString(parsed.response)
    if (prose !== undefined) return { text: prose, content: scrubInlineData(parsed) }
  }
  return { text: raw }
}

/** UI rows carry pasted images as data URLs: they become references, in the text and in the content. */
function withImages(
  body: { text: string; content?: unknown },
  images: unknown,
): { text: string; content?: unknown } {
  if (!Array.isArray(images) || images.length === 0) return body
  const parts = images.map((image) => {
    if (typeof image !== 'string') return { ref: scrubInlineData(image), text: '[image]' }
    const ref = imageReference(image)
    return { ref, text: imageText(ref) }
  })
  return {
    text: [body.text, ...parts.map((p) => p.text)].filter((t) => t !== '').join('\n\n'),
    content: [{ type: 'text', text: body.text }, ...parts.map((p) => p.ref)],
  }
}

function mappingOf(index: number, name: string): Mapping | undefined {
  // Roo's task prompt is a plain say:"text" row, always the first one.
  if (index === 0 && name === 'text') return ['user', 'text']
  return MAPPINGS.get(name)
}

/** Rows that streaming left empty (text, reasoning, a command's output so far) show nothing in the window. */
const showsNothing = (record: JsonRecord, text: string): boolean =>
  !/\S/.test(text) && !(Array.isArray(record.images) && record.images.length > 0)

interface Identity {
  readonly id: string
  readonly conversationId: string
  readonly ordinal: number
}

/**
 * The message for UI row `index`, or undefined for a row the window does not show as a message. Rows come one at a
 * time so that a large UI log never has to be held whole.
 */
export function uiRowMessage(row: unknown, index: number, identity: Identity): MessageInput | undefined {
  const name = rowName(row) ?? ''
  const mapping = mappingOf(index, name)
  if (mapping === 'skip') return undefined
  const record = isRecord(row) ? row : { value: row }
  const [role, kind] = mapping ?? (['system', 'unknown'] as const)
  const body = mapping
    ? withImages(rowBody(record, name, kind), record.images)
    : { text: asString(record.text) ?? '' }
  if (mapping && showsNothing(record, body.text)) return undefined
  return {
    ...identity,
    role,
    kind,
    createdAt: toEpochMs(record.ts),
    text: body.text,
    content: mapping ? body.content : scrubInlineData(row),
    metadata: scrubInlineData(omit(record, ['text', 'images', 'ts', 'contextCondense'])) as JsonRecord,
  }
}
