/**
 * What a message's stored body is: its SQL `text` (already prepared for the full-text index, see toSearchText), its
 * structured `content` (JSON, or null when the message is exactly its text) and its `metadata` (a JSON object: the
 * model's name, the source's details), as the UTF-8 of the JSON array `[text, content, metadata]`. The receiving
 * machine writes the columns back as they were, so its reader and its search see what the machine that imported
 * the message sees. The encoding is deterministic, which keeps equal bodies at one content address; empty metadata
 * is left out (`[text, content]`), so a body without any keeps the address it had before metadata travelled.
 */

export interface MessageBody {
  readonly text: string
  readonly content: string | null
  /** JSON text of an object; '{}' when the message has none. */
  readonly metadata: string
}

export class MessageBodyError extends Error {
  override readonly name = 'MessageBodyError'
}

const NO_METADATA = '{}'

export const encodeMessageBody = ({ text, content, metadata }: MessageBody): Buffer =>
  Buffer.from(JSON.stringify(metadata === NO_METADATA ? [text, content] : [text, content, metadata]), 'utf8')

/** Throws MessageBodyError for bytes that are not a body this code wrote (authentic, yet from a newer format). */
export function decodeMessageBody(bytes: Uint8Array): MessageBody {
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'))
  } catch {
    throw new MessageBodyError('The body is not JSON.')
  }
  // More elements than three are a later build's additions: read past, not refused, so machines on different
  // builds of one library still exchange bodies. A body of two is one without metadata (or from an older build).
  if (
    !Array.isArray(value) ||
    value.length < 2 ||
    typeof value[0] !== 'string' ||
    (value[1] !== null && typeof value[1] !== 'string') ||
    (value.length > 2 && typeof value[2] !== 'string')
  )
    throw new MessageBodyError('The body is not a message body: [text, content, metadata] was expected.')
  const content = value[1] as string | null
  const metadata = value.length > 2 ? (value[2] as string) : NO_METADATA
  // The reader parses `content` and `metadata`: a body that would break it is refused here, not stored.
  if (content !== null && parsed(content) === NOT_JSON)
    throw new MessageBodyError("The body's structured content is not JSON.")
  const fields = parsed(metadata)
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields))
    throw new MessageBodyError("The body's metadata is not a JSON object.")
  return { text: value[0], content, metadata }
}

const NOT_JSON = Symbol('not JSON')

function parsed(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return NOT_JSON
  }
}
