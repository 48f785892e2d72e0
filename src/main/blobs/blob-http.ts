/**
 * One request to the sync worker's blob routes (sync-worker/src/blob-routes.ts), and what its answer means for the
 * caller, as a BlobError whose code says what to do next: try again later (`retryable`), give up on this blob, or
 * fix the library's settings. The worker's own `{error, message}` is kept, so a wrong key reads as the worker said.
 *
 * Every request carries the library's worker token in the Authorization header only (never the URL: proxies and
 * Cloudflare's logs keep URLs), the same token and the same check as the sync socket.
 *
 * A request that hangs must not hold a blob queue forever, but a 25 MiB image on a slow uplink takes minutes:
 * the deadline is a base for the answer plus time per byte at a floor of 64 KiB/s, counted from the bytes sent
 * (upload) or the Content-Length announced (download).
 */

export type BlobErrorCode =
  /** The worker has no blob under this address (yet): another machine may not have uploaded it. */
  | 'NOT_FOUND'
  /** The worker refused the library's token (401/403) or does not know the library: a settings problem. */
  | 'REFUSED'
  /** No answer: the network, DNS, a refused connection, a timeout, a connection lost mid-body. Retryable. */
  | 'UNREACHABLE'
  /** The worker (or Cloudflare in front of it) failed: 5xx, or 429 rate limiting. Retryable. */
  | 'SERVER_ERROR'
  /** The blob served is not authentic for this address and library, or not what the address names. */
  | 'TAMPERED'
  /** The blob is of a newer format than this Chronicle reads. */
  | 'UNKNOWN_VERSION'
  /** The body is over the worker's blob limit: refused before upload (or by the worker, 413). */
  | 'TOO_LARGE'
  /** Not an address, or not the address of the body given with it: a caller's mistake, nothing was sent. */
  | 'BAD_ADDRESS'
  /** Something answered, but not as the Chronicle sync worker does (a 400, a page that is not its JSON). */
  | 'BAD_ANSWER'

const RETRYABLE: ReadonlySet<BlobErrorCode> = new Set(['UNREACHABLE', 'SERVER_ERROR'])

export class BlobError extends Error {
  override readonly name = 'BlobError'
  /** Worth trying again later, unchanged: the worker or the network may be back. */
  readonly retryable: boolean

  constructor(
    readonly code: BlobErrorCode,
    message: string,
    readonly details: {
      readonly status?: number
      readonly workerError?: string
      readonly cause?: unknown
    } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.retryable = RETRYABLE.has(code)
  }
}

export interface BlobEndpoint {
  readonly url: string
  readonly storeId: string
  readonly token: string
  readonly fetch: typeof fetch
}

const BASE_TIMEOUT_MS = 30_000
const FLOOR_BYTES_PER_MS = 64 // 64 KiB/s, roughly

export const timeoutFor = (bytes: number): number => BASE_TIMEOUT_MS + Math.ceil(bytes / FLOOR_BYTES_PER_MS)

/** `libraries/<storeId>/blobs/<name>` under the worker's URL, keeping a path prefix the URL may have. */
const blobUrl = (endpoint: BlobEndpoint, name: string): URL =>
  new URL(
    `libraries/${endpoint.storeId}/blobs/${name}`,
    endpoint.url.endsWith('/') ? endpoint.url : `${endpoint.url}/`,
  )

export interface BlobAnswer {
  readonly response: Response
  /** Lengthens the request's deadline once the size of what is still to come is known. */
  extendDeadline(bytes: number): void
  /** Ends the deadline: call once the body has been read. */
  done(): void
}

/**
 * Sends one request and returns the answer if its status is one of `expected`; otherwise reads the body and throws
 * the BlobError it means. The deadline stays armed over the body until `done()`.
 */
export async function blobRequest(
  endpoint: BlobEndpoint,
  method: 'GET' | 'PUT' | 'POST' | 'DELETE',
  name: string,
  expected: readonly number[],
  body?: Uint8Array,
): Promise<BlobAnswer> {
  const controller = new AbortController()
  let timer = setTimeout(() => controller.abort(), timeoutFor(body?.byteLength ?? 0))
  const done = () => clearTimeout(timer)
  const extendDeadline = (bytes: number) => {
    clearTimeout(timer)
    timer = setTimeout(() => controller.abort(), timeoutFor(bytes))
  }
  let response: Response
  try {
    response = await endpoint.fetch(blobUrl(endpoint, name), {
      method,
      headers: {
        authorization: `Bearer ${endpoint.token}`,
        ...(body !== undefined && { 'content-type': 'application/octet-stream' }),
      },
      ...(body !== undefined && { body }),
      signal: controller.signal,
    })
  } catch (error) {
    done()
    throw unreachable(endpoint.url, error, controller.signal.aborted)
  }
  if (expected.includes(response.status)) return { response, extendDeadline, done }
  try {
    const text = await response.text().catch(() => '')
    throw refusal(response.status, text)
  } finally {
    done()
  }
}

/** Reads an answer's body, turning a connection lost or timed out mid-body into UNREACHABLE. */
export async function readBody(url: string, answer: BlobAnswer): Promise<Buffer> {
  try {
    return Buffer.from(await answer.response.arrayBuffer())
  } catch (error) {
    throw unreachable(url, error, true)
  } finally {
    answer.done()
  }
}

function unreachable(url: string, error: unknown, aborted: boolean): BlobError {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error
  const code = (cause as NodeJS.ErrnoException | undefined)?.code
  const why = aborted
    ? 'no answer in time'
    : (code ?? (cause instanceof Error ? cause.message : String(cause)))
  return new BlobError('UNREACHABLE', `Cannot reach the sync worker at ${url} (${why}).`, { cause: error })
}

/** What a status the caller did not expect means, in the worker's words when it gave its `{error, message}`. */
function refusal(status: number, text: string): BlobError {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    parsed = null
  }
  const { error, message } = (parsed ?? {}) as { error?: unknown; message?: unknown }
  const worker = typeof error === 'string' && typeof message === 'string' ? { error, message } : undefined
  const details = { status, ...(worker !== undefined && { workerError: worker.error }) }
  const said = worker === undefined ? `HTTP ${status}` : `HTTP ${status}: ${worker.message}`
  if (status >= 500 || status === 429)
    return new BlobError('SERVER_ERROR', `The sync worker failed (${said}); try again later.`, details)
  if (status === 401 || status === 403 || worker?.error === 'unknown_library')
    return new BlobError('REFUSED', `The sync worker refused this library's key (${said}).`, details)
  if (worker?.error === 'unknown_blob')
    return new BlobError('NOT_FOUND', 'The sync worker has no blob under this address.', details)
  if (status === 413)
    return new BlobError('TOO_LARGE', `The sync worker refused the blob as too large (${said}).`, details)
  return new BlobError('BAD_ANSWER', `The sync worker answered unexpectedly (${said}).`, details)
}
