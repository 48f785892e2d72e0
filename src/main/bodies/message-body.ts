/**
 * What a message's stored body is: its SQL `text` (already prepared for the full-text index, see toSearchText) and
 * its structured `content` (JSON, or null when the message is exactly its text), as the UTF-8 of the JSON array
 * `[text, content]`. The receiving machine writes both columns back as they were, so its reader and its search see
 * what the machine that imported the message sees. The encoding is deterministic, which keeps equal bodies at one
 * content address. The message's metadata (the model's name, the source's details) does not travel yet.
 */

export interface MessageBody {
  readonly text: string
  readonly content: string | null
}

export class MessageBodyError extends Error {
  override readonly name = 'MessageBodyError'
}

export const encodeMessageBody = ({ text, content }: MessageBody): Buffer =>
  Buffer.from(JSON.stringify([text, content]), 'utf8')

/** Throws MessageBodyError for bytes that are not a body this code wrote (authentic, yet from a newer format). */
export function decodeMessageBody(bytes: Uint8Array): MessageBody {
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'))
  } catch {
    throw new MessageBodyError('The body is not JSON.')
  }
  // More elements than two are a later build's additions (the message's metadata, say): read past, not refused,
  // so machines on different builds of one library still exchange bodies.
  if (
    !Array.isArray(value) ||
    value.length < 2 ||
    typeof value[0] !== 'string' ||
    (value[1] !== null && typeof value[1] !== 'string')
  )
    throw new MessageBodyError('The body is not a message body: [text, content] was expected.')
  const content = value[1] as string | null
  // The reader parses `content`: a body that would break it is refused here, not stored.
  if (content !== null)
    try {
      JSON.parse(content)
    } catch {
      throw new MessageBodyError("The body's structured content is not JSON.")
    }
  return { text: value[0], content }
}
