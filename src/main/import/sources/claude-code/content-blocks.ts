/**
 * Claude Code stores Anthropic API content blocks. This turns them into searchable text and into structured
 * content with every base64 payload reduced to a reference, so images never reach the index or the change feed.
 */
import { imageReference, imageText, toolCallText } from '../../message-content'

export type JsonRecord = Record<string, unknown>

export const isRecord = (value: unknown): value is JsonRecord =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

export const stringOf = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined

/** `{type: "base64", media_type, data}`: the source of image and document blocks. */
const isBase64Source = (value: JsonRecord): value is JsonRecord & { data: string } =>
  value.type === 'base64' && typeof value.data === 'string'

function referenceOf(source: unknown) {
  if (!isRecord(source) || !isBase64Source(source)) return null
  return imageReference(source.data, stringOf(source.media_type) ?? null)
}

/** A copy of any JSON value with base64 image and document payloads replaced by references. */
export function withoutBase64(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutBase64)
  if (!isRecord(value)) return value
  if (value.type === 'image') {
    const ref = referenceOf(value.source)
    if (ref) return ref
  }
  if (isBase64Source(value)) return imageReference(value.data, stringOf(value.media_type) ?? null)
  const copy: JsonRecord = {}
  for (const [key, inner] of Object.entries(value)) copy[key] = withoutBase64(inner)
  return copy
}

function blockText(block: unknown): string {
  if (typeof block === 'string') return block
  if (!isRecord(block)) return ''
  switch (block.type) {
    case 'text':
      return stringOf(block.text) ?? ''
    case 'thinking':
      return stringOf(block.thinking) ?? ''
    case 'tool_use':
    case 'server_tool_use':
      return toolCallText(stringOf(block.name) ?? 'tool', block.input)
    case 'tool_result':
      return contentText(block.content)
    case 'image': {
      const ref = referenceOf(block.source)
      if (ref) return imageText(ref)
      const url = isRecord(block.source) ? stringOf(block.source.url) : undefined
      return url ? `[image ${url}]` : '[image]'
    }
    case 'document': {
      const ref = referenceOf(block.source)
      const title = stringOf(block.title)
      return `[document${title ? ` ${title}` : ''}${ref ? `, ${ref.mediaType ?? 'base64'}` : ''}]`
    }
    default:
      // redacted_thinking carries only ciphertext; unknown blocks still give their text if they have one.
      return stringOf(block.text) ?? ''
  }
}

/** Searchable text of a `message.content`: a string, or blocks joined by blank lines. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  return content
    .map(blockText)
    .filter((text) => text !== '')
    .join('\n\n')
}

/** The blocks' types, for deciding a message's kind. */
export const blockTypes = (content: unknown): string[] =>
  Array.isArray(content) ? content.map((b) => (isRecord(b) ? String(b.type) : typeof b)) : []

/** Structured content, or undefined when the text says it all (a plain string or a single text block). */
export function structuredContent(content: unknown): unknown {
  if (content === undefined || typeof content === 'string') return undefined
  if (Array.isArray(content) && content.length === 1) {
    const only: unknown = content[0]
    if (isRecord(only) && only.type === 'text' && Object.keys(only).length <= 2) return undefined
  }
  return withoutBase64(content)
}
