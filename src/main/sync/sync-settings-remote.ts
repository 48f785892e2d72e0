/**
 * What setup, join and status ask the sync worker (sync-worker/src/index.ts): claiming a library with its token,
 * and whether the worker accepts that token right now. Every answer is a value: a refusal carries the worker's own
 * `{error, message}`, so a wrong key is told apart from a worker that cannot be reached.
 *
 * The connection check opens the sync WebSocket and closes it as soon as it is accepted, rather than claiming
 * again: a status check must not change anything on the worker, and a claim would quietly re-claim a library the
 * worker has forgotten. The token travels only in the Authorization header.
 */
import { WebSocket } from 'ws'
import { syncUrlOf } from '../relay/upstream-connection'

export type WorkerAnswer =
  /** 201: the library was not claimed on this worker; now it is, with this token. */
  | { readonly kind: 'claimed' }
  /** 200, or the sync socket opened: the worker accepts this token for this library. */
  | { readonly kind: 'accepted' }
  /** The worker answered and said no (409 another token, 401, 400), in its own words. */
  | { readonly kind: 'refused'; readonly status: number; readonly error: string; readonly message: string }
  /** Something answered, but not as this worker does (5xx, a page that is not its JSON). */
  | { readonly kind: 'failed'; readonly status: number; readonly message: string }
  | { readonly kind: 'unreachable'; readonly message: string }

const TIMEOUT_MS = 10_000

/** `path` under the worker's URL, keeping a path prefix the URL may have. */
const under = (url: string, path: string): URL => new URL(path, url.endsWith('/') ? url : `${url}/`)

/** Why a request never got an answer, as the network said it: ECONNREFUSED, ENOTFOUND, a timeout. */
function unreachable(url: string, error: unknown): WorkerAnswer {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error
  const code = (cause as NodeJS.ErrnoException | undefined)?.code
  const why =
    error instanceof Error && error.name === 'TimeoutError'
      ? `no answer within ${TIMEOUT_MS / 1000} s`
      : (code ?? (cause instanceof Error ? cause.message : String(cause)))
  return { kind: 'unreachable', message: `cannot reach ${url} (${why})` }
}

/** A non-success answer: the worker's `{error, message}` when it is one, else what came back. */
function refusal(url: string, status: number, body: string): WorkerAnswer {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    parsed = null
  }
  const { error, message } = (parsed ?? {}) as { error?: unknown; message?: unknown }
  if (status < 500 && typeof error === 'string' && typeof message === 'string')
    return { kind: 'refused', status, error, message }
  return {
    kind: 'failed',
    status,
    message: `${url} answered HTTP ${status}${typeof message === 'string' ? `: ${message}` : ', not as a Chronicle sync worker does'}`,
  }
}

/** `claimSecret`: a worker deployed with CLAIM_SECRET claims a new library only with it. */
export async function claimLibrary(
  url: string,
  storeId: string,
  token: string,
  claimSecret?: string,
): Promise<WorkerAnswer> {
  let response: Response
  try {
    response = await fetch(under(url, `libraries/${storeId}/claim`), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        ...(claimSecret !== undefined && { 'x-chronicle-claim-secret': claimSecret }),
      },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    })
  } catch (error) {
    return unreachable(url, error)
  }
  const body = await response.text().catch(() => '')
  if (response.status === 201) return { kind: 'claimed' }
  if (response.status === 200) return { kind: 'accepted' }
  return refusal(url, response.status, body)
}

/** Opens the library's sync socket with this token and closes it at once: accepted, refused (why) or unreachable. */
export function checkConnection(url: string, storeId: string, token: string): Promise<WorkerAnswer> {
  return new Promise((resolve) => {
    const socket = new WebSocket(syncUrlOf({ url, storeId }), {
      headers: { authorization: `Bearer ${token}` },
      handshakeTimeout: TIMEOUT_MS,
    })
    let settled = false
    const settle = (answer: WorkerAnswer) => {
      if (settled) return
      settled = true
      resolve(answer)
    }
    socket.on('open', () => {
      settle({ kind: 'accepted' })
      socket.terminate()
    })
    socket.on('unexpected-response', (_request, response) => {
      const chunks: Buffer[] = []
      // Node's agent keeps a finished connection open for 5 s, which would hold a command's exit that long.
      const connection = response.socket
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => {
        settle(refusal(url, response.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')))
        connection.destroy()
      })
      response.on('error', (error) => settle(unreachable(url, error)))
    })
    socket.on('error', (error) => {
      const timedOut = /timed out/i.test(error.message)
      settle(
        timedOut
          ? { kind: 'unreachable', message: `cannot reach ${url} (no answer within ${TIMEOUT_MS / 1000} s)` }
          : unreachable(url, error),
      )
    })
  })
}
