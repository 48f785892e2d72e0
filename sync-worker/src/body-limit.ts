/**
 * Request bodies are checked against a limit (MAX_BODY_BYTES for every route but the blob routes, which pass their
 * own). A declared Content-Length above it is refused unread; a chunked body is counted as it arrives and never
 * buffered beyond the limit. Past the limit the rest is read and dropped, up to DRAIN_BYTES more, before answering: a body
 * cancelled mid-stream made local workerd (wrangler dev's proxy) lose the connection and fail the next request with a
 * 500 in about half of the tries. Beyond DRAIN_BYTES it is cancelled.
 */
import { MAX_BODY_BYTES } from './limits'

const DRAIN_BYTES = 1024 * 1024

export async function bodyWithinLimit(request: Request, limit = MAX_BODY_BYTES): Promise<boolean> {
  if (declaredOver(request, limit)) return false
  return (await readBody(request, limit, false)) !== undefined
}

/** The whole body when it is within `limit` (an empty one when there is none), `undefined` when it is over. */
export async function readBodyWithin(request: Request, limit: number): Promise<Uint8Array | undefined> {
  if (declaredOver(request, limit)) return undefined
  return readBody(request, limit, true)
}

/**
 * Reads and drops what is left of a body the answer does not need, up to `limit` + DRAIN_BYTES: a client that
 * declared a blob just over its limit gets the whole 413 answer, as a chunked one does.
 */
export async function discardBody(request: Request, limit = 0): Promise<void> {
  if (request.body === null || request.bodyUsed) return
  await readBody(request, limit, false)
}

function declaredOver(request: Request, limit: number): boolean {
  const declared = request.headers.get('content-length')
  return declared !== null && !(Number(declared) <= limit)
}

async function readBody(request: Request, limit: number, keep: boolean): Promise<Uint8Array | undefined> {
  if (request.body === null) return new Uint8Array(0)
  const chunks: Uint8Array[] = []
  const reader = request.body.getReader()
  let received = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) {
      if (received > limit) return undefined
      return keep ? concatenate(chunks, received) : new Uint8Array(0)
    }
    received += value.byteLength
    if (keep && received <= limit) chunks.push(value)
    if (received > limit + DRAIN_BYTES) {
      await reader.cancel()
      return undefined
    }
  }
}

function concatenate(chunks: readonly Uint8Array[], length: number): Uint8Array {
  const whole = new Uint8Array(length)
  let at = 0
  for (const chunk of chunks) {
    whole.set(chunk, at)
    at += chunk.byteLength
  }
  return whole
}
