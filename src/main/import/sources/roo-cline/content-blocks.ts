/**
 * Anthropic-style content (a string or blocks of text, image, tool_use, tool_result, thinking) as Chronicle's
 * searchable text plus the source's own blocks. Roo, classic Cline and the Cline SDK all store this shape. Images
 * become references so base64 never reaches the index or the change feed; unknown blocks are kept as they are.
 */
import type { MessageKind } from '../../../../shared/domain'
import { imageReference, imageText, toolCallText, type ImageReference } from '../../message-content'
import { asString, isRecord, omit, type JsonRecord } from './json-values'

/** What a block contributes to classifying its message. */
type BlockClass = 'text' | 'thinking' | 'tool_use' | 'tool_result' | 'image' | 'unknown'

interface MappedBlock {
  readonly text: string
  readonly content: unknown
  readonly class: BlockClass
}

export interface MappedContent {
  readonly text: string
  /** Undefined when the message is exactly its text (a plain string or one bare text block). */
  readonly content: unknown
  readonly kind: MessageKind
}

const BASE64_DATA_URL = /^data:[^,]*;base64,/

/**
 * Any base64 data URL nested anywhere (unknown blocks, raw UI rows) becomes a reference. A value with none is
 * returned as it is, so the common case (every UI row's metadata) copies nothing.
 */
export function scrubInlineData(value: unknown): unknown {
  if (typeof value === 'string')
    return value.startsWith('data:') && BASE64_DATA_URL.test(value) ? imageReference(value) : value
  if (Array.isArray(value)) {
    const scrubbed = value.map(scrubInlineData)
    return scrubbed.some((v, i) => v !== value[i]) ? scrubbed : value
  }
  if (!isRecord(value)) return value
  let copy: JsonRecord | undefined
  for (const key of Object.keys(value)) {
    const scrubbed = scrubInlineData(value[key])
    if (scrubbed !== value[key]) (copy ??= { ...value })[key] = scrubbed
  }
  return copy ?? value
}

/** The base64 payload of an image block in any of the shapes the assistants write, with its media type. */
function imagePayload(block: JsonRecord): { data: string; mediaType: string | null; drop: string[] } | null {
  const source = block.source
  if (isRecord(source) && typeof source.data === 'string')
    return { data: source.data, mediaType: asString(source.media_type) ?? null, drop: ['source'] }
  if (typeof block.data === 'string')
    return {
      data: block.data,
      mediaType: asString(block.mediaType) ?? asString(block.media_type) ?? asString(block.mimeType) ?? null,
      drop: ['data', 'mediaType', 'media_type', 'mimeType'],
    }
  const url = isRecord(block.image_url) ? asString(block.image_url.url) : undefined
  if (url && BASE64_DATA_URL.test(url)) return { data: url, mediaType: null, drop: ['image_url'] }
  return null
}

function mapImage(block: JsonRecord): MappedBlock {
  const payload = imagePayload(block)
  // A URL image carries no bytes: nothing to omit, keep it whole.
  if (!payload) return { text: '[image]', content: block, class: 'image' }
  const ref: ImageReference = imageReference(payload.data, payload.mediaType)
  return { text: imageText(ref), content: { ...omit(block, payload.drop), ...ref }, class: 'image' }
}

function mapToolResult(block: JsonRecord): MappedBlock {
  const inner = block.content
  if (typeof inner === 'string') return { text: inner, content: block, class: 'tool_result' }
  if (!Array.isArray(inner)) return { text: '', content: scrubInlineData(block), class: 'tool_result' }
  const mapped = inner.map(mapBlock)
  return {
    text: joinText(mapped),
    content: { ...block, content: mapped.map((m) => m.content) },
    class: 'tool_result',
  }
}

function mapBlock(block: unknown): MappedBlock {
  if (typeof block === 'string') return { text: block, content: block, class: 'text' }
  if (!isRecord(block)) return { text: '', content: block, class: 'unknown' }
  switch (block.type) {
    case 'text':
      return { text: asString(block.text) ?? '', content: block, class: 'text' }
    case 'thinking':
      return { text: asString(block.thinking) ?? '', content: block, class: 'thinking' }
    case 'redacted_thinking':
      return { text: '', content: block, class: 'thinking' }
    case 'reasoning':
      return {
        text: asString(block.text) ?? asString(block.reasoning) ?? '',
        content: block,
        class: 'thinking',
      }
    case 'tool_use':
      return {
        text: toolCallText(asString(block.name) ?? 'tool', block.input),
        content: scrubInlineData(block),
        class: 'tool_use',
      }
    case 'tool_result':
      return mapToolResult(block)
    case 'image':
    case 'image_url':
      return mapImage(block)
    default:
      return { text: asString(block.text) ?? '', content: scrubInlineData(block), class: 'unknown' }
  }
}

const joinText = (blocks: readonly MappedBlock[]): string =>
  blocks
    .map((b) => b.text)
    .filter((t) => t !== '')
    .join('\n\n')

/** Thinking that precedes a tool call does not make the message prose: it is still a tool call. */
function classify(classes: readonly BlockClass[]): MessageKind {
  if (classes.length === 0) return 'text'
  const every = (c: BlockClass) => classes.every((x) => x === c)
  if (every('tool_result')) return 'tool_result'
  if (every('thinking')) return 'thinking'
  if (every('unknown')) return 'unknown'
  const acting = classes.filter((c) => c !== 'thinking')
  if (acting.every((c) => c === 'tool_use')) return 'tool_call'
  return 'text'
}

const isBareText = (block: unknown): boolean =>
  isRecord(block) &&
  block.type === 'text' &&
  typeof block.text === 'string' &&
  Object.keys(block).every((k) => k === 'type' || k === 'text')

export function mapContent(content: unknown): MappedContent {
  if (typeof content === 'string') return { text: content, content: undefined, kind: 'text' }
  if (content == null) return { text: '', content: undefined, kind: 'text' }
  if (!Array.isArray(content)) {
    const mapped = mapBlock(content)
    return { text: mapped.text, content: mapped.content, kind: classify([mapped.class]) }
  }
  const mapped = content.map(mapBlock)
  return {
    text: joinText(mapped),
    content: content.length === 1 && isBareText(content[0]) ? undefined : mapped.map((m) => m.content),
    kind: classify(mapped.map((m) => m.class)),
  }
}
