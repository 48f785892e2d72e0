/**
 * Helpers every adapter uses to turn a source's content blocks into Chronicle's message fields: the searchable
 * text (no base64, capped by the repository) and the structured content (the source's own blocks, images reduced
 * to a reference and a size so megabytes of base64 never reach the index or the change feed).
 */

import { currentImageStore } from '../images/image-sink'
import { MAX_IMAGE_BYTES } from '../images/image-store'

export interface ImageReference {
  readonly type: 'image'
  readonly omitted: true
  readonly mediaType: string | null
  /** Size of the decoded image in bytes (estimated from the base64 length). */
  readonly bytes: number
  /** Where the import kept the image (images/ in the data directory), when it could. */
  readonly sha256?: string
}

const DATA_URL = /^data:([^;,]+)?(?:;[^,]*)?,(.*)$/s

/**
 * A data URL or a base64 string becomes a reference; the running import's image store (image-sink.ts), if any,
 * keeps the decoded bytes and the reference names them by hash.
 */
export function imageReference(data: string, mediaType: string | null = null): ImageReference {
  const match = DATA_URL.exec(data)
  const payload = match ? (match[2] ?? '') : data
  const bytes = Math.floor((payload.replace(/=+$/, '').length * 3) / 4)
  const store = currentImageStore()
  const sha256 = store && bytes <= MAX_IMAGE_BYTES ? store.put(Buffer.from(payload, 'base64')) : null
  return {
    type: 'image',
    omitted: true,
    mediaType: match?.[1] ?? mediaType,
    bytes,
    ...(sha256 && { sha256 }),
  }
}

/** How an image appears in search text and previews. */
export const imageText = (ref: ImageReference): string =>
  `[image${ref.mediaType ? ` ${ref.mediaType}` : ''}, ${Math.max(1, Math.round(ref.bytes / 1024))} KB]`

const MAX_TOOL_INPUT_CHARS = 4_000

/** A tool call as searchable text: its name and its input, compactly. */
export function toolCallText(name: string, input: unknown): string {
  const json = typeof input === 'string' ? input : JSON.stringify(input ?? {})
  return `${name} ${json.length > MAX_TOOL_INPUT_CHARS ? `${json.slice(0, MAX_TOOL_INPUT_CHARS)}…` : json}`
}

/** Epoch ms from any timestamp the sources write: epoch ms, epoch seconds (float), or an ISO string. */
export function toEpochMs(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value))
    return value < 1e11 ? Math.round(value * 1000) : Math.round(value)
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Date.parse(value)
    return Number.isNaN(parsed) ? null : parsed
  }
  return null
}
