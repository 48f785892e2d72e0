/**
 * One WebSocket to the sync Worker, speaking the client side of sync-cf's protocol (Effect RPC, JSON frames) as
 * `makeWsSync` does: `Request` frames for SyncWsRpc.Pull (live, from a cursor) and SyncWsRpc.Push, an `Ack` after
 * every `Chunk` consumed, `Ping` answered by the Durable Object's auto-response `Pong`. The library token goes in the
 * upgrade's `Authorization` header, never in the URL (sync-cf's `payload` travels in the query string).
 *
 * A refusal at the upgrade (the Worker's 4xx with its JSON reason) is told apart from a server that cannot be
 * reached: the first will not get better by retrying, the second will.
 */
import { WebSocket, type RawData } from 'ws'
import type { GlobalEvent } from '../hub/hub-eventlog'
import { presenceHeaders, type MachinePresence } from '../sync/machine-presence'
import { framesOf, isGlobalEvent, isRecord, type Frame } from '../hub/ws-sync-frames'
import { isDatabaseBusy } from '../repository/errors'

const PING_INTERVAL_MS = 10_000
const MAX_FRAME_BYTES = 16 * 1024 * 1024
/** sync-cf's MAX_WS_MESSAGE_BYTES (900 kB), less room for the request's own fields. */
const MAX_PUSH_FRAME_BYTES = 880_000

export interface PulledPage {
  readonly events: readonly GlobalEvent[]
  /**
   * When the remote accepted each event (sync-cf's SyncMetadata createdAt), in epoch milliseconds; null where it
   * sent none or an unreadable one.
   */
  readonly acceptedAt: readonly (number | null)[]
  readonly backendId: string
  /** Events the remote still has after this page (0: caught up with what it had when the pull began). */
  readonly remaining: number
}

export type PushAnswer =
  | { readonly kind: 'ok' }
  /** sync-cf's ServerAheadError: `remoteHead` is the Durable Object's head (its minimumExpectedNum). */
  | { readonly kind: 'server-ahead'; readonly remoteHead: number }
  | { readonly kind: 'failed'; readonly reason: string; readonly mismatch?: boolean }

export type Ended =
  | { readonly kind: 'refused'; readonly status: number; readonly reason: string }
  | { readonly kind: 'unreachable'; readonly reason: string }

export interface UpstreamConnection {
  /** Starts the one live pull after `cursor` (null: from the start); pages are handed over one at a time. */
  pull(
    cursor: { readonly backendId: string; readonly seqNum: number } | null,
    onPage: (page: PulledPage) => Promise<void>,
  ): void
  push(batch: readonly GlobalEvent[], backendId: string | null): Promise<PushAnswer>
  /** Resolves once, when the socket ends for whatever reason. */
  readonly ended: Promise<Ended>
  close(reason: Ended): void
}

export interface UpstreamAddress {
  /** The Worker's base URL (https://…, or http://127.0.0.1:P locally). */
  readonly url: string
  readonly storeId: string
  readonly token: string
  /** Which machine this is, for the Worker's list of the library's machines; without it the Worker lists nothing. */
  readonly presence?: MachinePresence
}

/** The worker's sync socket for a library (sync-cf's query: the store and the transport, never the token). */
export function syncUrlOf({ url, storeId }: Pick<UpstreamAddress, 'url' | 'storeId'>): string {
  const sync = new URL(url)
  sync.protocol = sync.protocol === 'https:' ? 'wss:' : 'ws:'
  sync.pathname = `${sync.pathname.replace(/\/+$/, '')}/sync`
  sync.search = new URLSearchParams({ storeId, transport: 'ws' }).toString()
  return sync.toString()
}

/** Opens the socket; resolves with the connection once upgraded, or with why it ended before that. */
export function openUpstream(
  address: UpstreamAddress,
  signal?: AbortSignal,
): Promise<UpstreamConnection | Ended> {
  return new Promise((resolve) => {
    const socket = new WebSocket(syncUrlOf(address), {
      headers: { authorization: `Bearer ${address.token}`, ...presenceHeaders(address.presence) },
      maxPayload: MAX_FRAME_BYTES,
      handshakeTimeout: 15_000,
    })
    // Closing the relay must not wait for a handshake to a server that does not answer.
    signal?.addEventListener('abort', () => {
      if (socket.readyState === socket.CONNECTING) resolve({ kind: 'unreachable', reason: 'closed' })
      if (socket.readyState === socket.CONNECTING) socket.terminate()
    })
    socket.once('unexpected-response', (_request, response) => {
      let text = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => (text += chunk.slice(0, 2000)))
      response.on('end', () => {
        socket.terminate()
        const status = response.statusCode ?? 0
        const reason = refusalReason(text)
        // A server error, a timeout or a rate limit passes (a deploy, an outage at the edge): try again later.
        // Anything else is the worker's answer about this machine, kept until the user acts.
        resolve(
          status >= 500 || status === 408 || status === 429
            ? { kind: 'unreachable', reason: `HTTP ${status}: ${reason}` }
            : { kind: 'refused', status, reason },
        )
      })
    })
    socket.once('error', (error) => resolve({ kind: 'unreachable', reason: error.message }))
    socket.once('open', () => resolve(connected(socket, address.storeId)))
  })
}

function refusalReason(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body)
    if (isRecord(parsed) && typeof parsed.message === 'string') return parsed.message.slice(0, 300)
  } catch {
    // Not the Worker's JSON (a proxy's page): say so without quoting it.
  }
  return 'the server refused the connection'
}

function connected(socket: WebSocket, storeId: string): UpstreamConnection {
  let nextId = 0
  let resolveEnded: (ended: Ended) => void = () => undefined
  const ended = new Promise<Ended>((resolve) => (resolveEnded = resolve))
  let end: Ended | null = null
  const finish = (why: Ended) => {
    if (end !== null) return
    end = why
    clearInterval(pinger)
    socket.terminate()
    for (const answer of pushes.values()) answer({ kind: 'failed', reason: `offline: ${why.reason}` })
    pushes.clear()
    resolveEnded(why)
  }
  const send = (message: unknown) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message))
  }
  const request = (tag: string, payload: Record<string, unknown>) => {
    const id = String(nextId++)
    send({ _tag: 'Request', id, tag, payload, headers: [] })
    return id
  }

  const pushes = new Map<string, (answer: PushAnswer) => void>()
  let pullId: string | null = null
  let onPage: ((page: PulledPage) => Promise<void>) | null = null
  // Pages are applied in order, one at a time; a page that fails to apply ends the connection.
  let applying: Promise<void> = Promise.resolve()

  let ponged = true
  const pinger = setInterval(() => {
    if (!ponged) return finish({ kind: 'unreachable', reason: 'the server stopped answering pings' })
    ponged = false
    send({ _tag: 'Ping' })
  }, PING_INTERVAL_MS)

  const onChunk = (frame: Frame) => {
    const handler = onPage
    if (frame.requestId !== pullId || handler === null || !Array.isArray(frame.values)) return
    const pages = frame.values.map(pulledPage)
    const requestId = pullId
    applying = applying.then(async () => {
      for (const page of pages) {
        if (page === null) throw new Error('the remote sent a pull page that is not one')
        if (end === null) await handler(page)
      }
      send({ _tag: 'Ack', requestId })
    })
    // A page this machine cannot take is refused for good; a database another process holds is only a delay (an
    // import in another process can keep the lock past the busy timeout): the next connection pulls it again.
    applying.catch((error: unknown) =>
      finish(
        isDatabaseBusy(error)
          ? { kind: 'unreachable', reason: `this machine's database is busy (${String(error)})` }
          : { kind: 'refused', status: 0, reason: String(error) },
      ),
    )
  }

  const onExit = (frame: Frame) => {
    const requestId = typeof frame.requestId === 'string' ? frame.requestId : ''
    const answer = exitAnswer(frame.exit)
    const pushed = pushes.get(requestId)
    if (pushed) {
      pushes.delete(requestId)
      return pushed(answer)
    }
    if (requestId === pullId) {
      const reason = answer.kind === 'failed' ? answer.reason : 'the remote ended the live pull'
      const refused = answer.kind === 'failed' && answer.mismatch === true
      finish(refused ? { kind: 'refused', status: 0, reason } : { kind: 'unreachable', reason })
    }
  }

  socket.on('message', (data: RawData) => {
    const frames = framesOf(data.toString())
    for (const frame of frames ?? []) {
      if (frame._tag === 'Pong') ponged = true
      else if (frame._tag === 'Chunk') onChunk(frame)
      else if (frame._tag === 'Exit') onExit(frame)
      else if (frame._tag === 'Defect') finish({ kind: 'unreachable', reason: 'the remote failed' })
    }
  })
  socket.on('close', () => finish({ kind: 'unreachable', reason: 'the connection closed' }))
  socket.on('error', (error) => finish({ kind: 'unreachable', reason: error.message }))

  return {
    ended,
    close: finish,
    pull(cursor, handler) {
      onPage = handler
      const encoded =
        cursor === null
          ? { _tag: 'None' }
          : { _tag: 'Some', value: { backendId: cursor.backendId, eventSequenceNumber: cursor.seqNum } }
      pullId = request('SyncWsRpc.Pull', { storeId, cursor: encoded, live: true })
    },
    async push(batch, backendId) {
      const option = backendId === null ? { _tag: 'None' } : { _tag: 'Some', value: backendId }
      // One request per part, each continuing the last; a part refused leaves the rest unsent.
      for (const part of splitBySize(batch, MAX_PUSH_FRAME_BYTES)) {
        if (end !== null) return { kind: 'failed', reason: `offline: ${end.reason}` }
        const id = request('SyncWsRpc.Push', { storeId, batch: part, backendId: option })
        const answer = await new Promise<PushAnswer>((resolve) => pushes.set(id, resolve))
        if (answer.kind !== 'ok') return answer
      }
      return { kind: 'ok' }
    },
  }
}

/**
 * Consecutive parts of `batch` of at most `maxBytes` of JSON each (an event larger than that alone is a part of its
 * own): sync-cf's client keeps each WebSocket message under 900 kB for Cloudflare's message limit, and so does this.
 */
export function splitBySize<T>(batch: readonly T[], maxBytes: number): T[][] {
  const parts: T[][] = []
  let part: T[] = []
  let bytes = 0
  for (const item of batch) {
    const size = Buffer.byteLength(JSON.stringify(item))
    if (part.length > 0 && bytes + size > maxBytes) {
      parts.push(part)
      part = []
      bytes = 0
    }
    part.push(item)
    bytes += size
  }
  if (part.length > 0) parts.push(part)
  return parts
}

function pulledPage(value: unknown): PulledPage | null {
  if (!isRecord(value) || !Array.isArray(value.batch) || typeof value.backendId !== 'string') return null
  const events: GlobalEvent[] = []
  const acceptedAt: (number | null)[] = []
  for (const item of value.batch) {
    if (!isRecord(item) || !isGlobalEvent(item.eventEncoded)) return null
    events.push(item.eventEncoded)
    acceptedAt.push(createdAtOf(item.metadata))
  }
  const info = isRecord(value.pageInfo) ? value.pageInfo : {}
  const remaining = info._tag === 'MoreKnown' && typeof info.remaining === 'number' ? info.remaining : 0
  return { events, acceptedAt, backendId: value.backendId, remaining }
}

/** The largest time a JavaScript Date holds. */
const MAX_DATE_MS = 8.64e15

/** sync-cf's metadata, an encoded Option of SyncMetadata: `{ _tag: 'Some', value: { createdAt: ISO } }`. */
function createdAtOf(metadata: unknown): number | null {
  if (!isRecord(metadata) || metadata._tag !== 'Some' || !isRecord(metadata.value)) return null
  const { createdAt } = metadata.value
  if (typeof createdAt !== 'string' || createdAt.length > 40) return null
  const ms = Date.parse(createdAt)
  return Number.isInteger(ms) && ms >= 0 && ms <= MAX_DATE_MS ? ms : null
}

/** An Exit's outcome: success, or the error its Fail cause carries (anything else is a failure to retry). */
function exitAnswer(exit: unknown): PushAnswer {
  if (isRecord(exit) && exit._tag === 'Success') return { kind: 'ok' }
  const cause = isRecord(exit) && isRecord(exit.cause) ? exit.cause : {}
  const error = cause._tag === 'Fail' && isRecord(cause.error) ? cause.error : {}
  if (error._tag === 'ServerAheadError' && typeof error.minimumExpectedNum === 'number')
    return { kind: 'server-ahead', remoteHead: error.minimumExpectedNum }
  if (error._tag === 'BackendIdMismatchError')
    return { kind: 'failed', reason: 'the remote library was reset or replaced', mismatch: true }
  const message = isRecord(error.cause) && typeof error.cause.message === 'string' ? error.cause.message : ''
  return {
    kind: 'failed',
    reason: `the remote failed the request${message ? `: ${message.slice(0, 200)}` : ''}`,
  }
}
