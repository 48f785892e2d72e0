/**
 * No route takes more than MAX_BODY_BYTES of HTTP body. A declared Content-Length above it is refused unread; a
 * chunked body is counted as it arrives and never buffered. Past the limit the rest is read and dropped, up to
 * DRAIN_BYTES, before answering: a body cancelled mid-stream made local workerd (wrangler dev's proxy) lose the
 * connection and fail the next request with a 500 in about half of the tries. Beyond DRAIN_BYTES it is cancelled.
 */
import { MAX_BODY_BYTES } from './limits'

const DRAIN_BYTES = 1024 * 1024

export async function bodyWithinLimit(request: Request): Promise<boolean> {
  const declared = request.headers.get('content-length')
  if (declared !== null && !(Number(declared) <= MAX_BODY_BYTES)) return false
  if (request.body === null) return true
  const reader = request.body.getReader()
  let received = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return received <= MAX_BODY_BYTES
    received += value.byteLength
    if (received > DRAIN_BYTES) {
      await reader.cancel()
      return false
    }
  }
}
