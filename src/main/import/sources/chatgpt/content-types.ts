/**
 * A ChatGPT message's `content` ({content_type, ...}) as searchable text, a kind, and the structure to keep.
 * Exports reference images by asset pointer (the files sit beside conversations.json), never as base64, so the
 * raw content is small enough to keep as it is; only plain text is stored as text alone.
 */
import type { MessageKind } from '../../../../shared/domain'
import { imageText, toolCallText } from '../../message-content'
import { asNumber, asString, isRecord, type JsonRecord } from '../roo-cline/json-values'

export interface MessageBody {
  readonly text: string
  readonly kind?: MessageKind
  /** Undefined when the message is exactly its text. */
  readonly content?: unknown
}

const strings = (values: readonly unknown[]): string[] =>
  values.filter((v): v is string => typeof v === 'string' && v.trim() !== '')

const joined = (values: readonly unknown[]): string => strings(values).join('\n\n')

/** One part of a multimodal_text message: a string, or an object such as an image or audio pointer. */
function partText(part: unknown): string {
  if (typeof part === 'string') return part
  if (!isRecord(part)) return ''
  const type = asString(part.content_type) ?? 'part'
  if (type === 'image_asset_pointer') {
    const bytes = asNumber(part.size_bytes)
    return bytes === undefined
      ? '[image]'
      : imageText({ type: 'image', omitted: true, mediaType: null, bytes })
  }
  if (type === 'audio_transcription') return asString(part.text) ?? ''
  return `[${type.replace(/_asset_pointer$/, '')}]`
}

/** Unknown content types: whatever text they carry in the usual fields, so search still finds them. */
function anyText(content: JsonRecord): string {
  const parts = Array.isArray(content.parts) ? content.parts.map(partText) : []
  return joined([...parts, content.text, content.result, content.content])
}

const MAPPERS: Record<string, (content: JsonRecord, recipient: string | undefined) => MessageBody> = {
  text: (c) => ({ text: Array.isArray(c.parts) ? joined(c.parts) : '' }),
  multimodal_text: (c) => ({ text: Array.isArray(c.parts) ? joined(c.parts.map(partText)) : '', content: c }),
  // Code written by the assistant is what it sends to a tool (the python sandbox, usually).
  code: (c, recipient) => {
    const code = asString(c.text) ?? ''
    const tool = recipient ?? asString(c.language) ?? 'code'
    return { text: code.trim() === '' ? '' : toolCallText(tool, code), kind: 'tool_call', content: c }
  },
  execution_output: (c) => ({ text: asString(c.text) ?? '', content: c }),
  thoughts: (c) => ({
    text: joined(
      (Array.isArray(c.thoughts) ? c.thoughts : []).map((t) =>
        isRecord(t) ? joined([t.summary, t.content]) : t,
      ),
    ),
    kind: 'thinking',
    content: c,
  }),
  reasoning_recap: (c) => ({ text: asString(c.content) ?? '', kind: 'thinking', content: c }),
  tether_browsing_display: (c) => ({ text: joined([c.result, c.summary]), content: c }),
  tether_quote: (c) => ({ text: joined([c.title, c.url, c.text]), content: c }),
  system_error: (c) => ({ text: joined([c.name, c.text]), content: c }),
  user_editable_context: (c) => ({ text: joined([c.user_profile, c.user_instructions]), content: c }),
  model_editable_context: (c) => ({ text: joined([c.model_set_context]), content: c }),
}

export function messageBody(content: unknown, recipient: string | undefined): MessageBody {
  if (!isRecord(content)) return { text: '', kind: 'unknown', content: content ?? null }
  const type = asString(content.content_type) ?? ''
  const mapper = MAPPERS[type]
  if (mapper) return mapper(content, recipient)
  // A type this importer does not know yet: kept whole, marked unknown, and searchable by whatever text it has.
  const text = anyText(content)
  return { text: text === '' ? `[${type || 'no content type'}]` : text, kind: 'unknown', content }
}
