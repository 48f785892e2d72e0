/**
 * The hub over WebSocket, speaking the wire protocol of LiveStore's own client (`makeWsSync` from
 * @livestore/sync-cf): Effect RPC with JSON serialisation, one JSON message per text frame. Because the protocol
 * is the Cloudflare backend's, moving a device to that backend is a change of URL, not of code.
 *
 * Client → hub: Request (SyncWsRpc.Pull / SyncWsRpc.Push), Ack (after each chunk it consumed), Interrupt, Ping,
 * Eof. Hub → client: Chunk (pull pages), Exit (push acknowledged or failed, non-live pull ended), Pong.
 * The upgrade carries `?storeId=…&payload=<JSON>&transport=ws`; the payload holds the per-launch token and who
 * the client is. Anything outside that is refused: a wrong token or store at the upgrade (401), a malformed
 * frame with a failure for that request only.
 */
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { timingSafeEqual } from 'node:crypto'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import type { Hub, PullPage } from './hub'
import { syncMetadataOf, wireEvent, type GlobalEvent } from './hub-eventlog'
import type { ConnectedClients } from './connected-clients'

/** Un-acknowledged chunks per pull stream before the hub waits for the client. */
const ACK_WINDOW = 8
const MAX_FRAME_BYTES = 4 * 1024 * 1024

export interface WsSyncServerOptions {
  readonly hub: Hub
  readonly storeId: string
  readonly token: string
  readonly clients: ConnectedClients
}

export interface WsSyncServer {
  /** Takes an HTTP upgrade request: a wrong token or store is answered 401, anything else becomes a client. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void
  /** Drops every connection (tests: a network failure; shutdown). */
  dropAll(): void
  close(): void
}

interface ClientPayload {
  readonly authToken?: unknown
  readonly deviceId?: unknown
  readonly deviceName?: unknown
  readonly clientKind?: unknown
}

const sameToken = (given: unknown, expected: string): boolean =>
  typeof given === 'string' &&
  given.length === expected.length &&
  timingSafeEqual(Buffer.from(given), Buffer.from(expected))

/** `payload` is encodeURIComponent(JSON), then URL-encoded again by URLSearchParams (SearchParamsSchema). */
function connectParams(request: IncomingMessage): { storeId: string | null; payload: ClientPayload } {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1')
  let payload: ClientPayload = {}
  try {
    const raw = url.searchParams.get('payload')
    const parsed: unknown = raw === null ? {} : JSON.parse(decodeURIComponent(raw))
    if (typeof parsed === 'object' && parsed !== null) payload = parsed as ClientPayload
  } catch {
    // A payload that is not JSON has no token: refused below.
  }
  return { storeId: url.searchParams.get('storeId'), payload }
}

const failExit = (requestId: string, error: Record<string, unknown>) => ({
  _tag: 'Exit',
  requestId,
  exit: { _tag: 'Failure', cause: { _tag: 'Fail', error } },
})

const unknownError = (message: string) => ({ _tag: 'UnknownError', cause: { name: 'Error', message } })

const encodePage = (page: PullPage, backendId: string) => ({
  batch: page.events.map((event) => ({
    eventEncoded: wireEvent(event),
    metadata: { _tag: 'Some', value: syncMetadataOf(event) },
  })),
  pageInfo: page.remaining > 0 ? { _tag: 'MoreKnown', remaining: page.remaining } : { _tag: 'NoMore' },
  backendId,
})

export function makeWsSyncServer(options: WsSyncServerOptions): WsSyncServer {
  const { hub, clients } = options
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES })

  const onConnection = (ws: WebSocket, payload: ClientPayload) => {
    const client = clients.connected({
      deviceId: typeof payload.deviceId === 'string' ? payload.deviceId : 'unknown',
      deviceName: typeof payload.deviceName === 'string' ? payload.deviceName : '',
      kind: typeof payload.clientKind === 'string' ? payload.clientKind : 'web',
    })
    const send = (message: unknown) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message))
    }

    interface PullStream {
      readonly controller: AbortController
      inflight: number
      /** seqNum of each chunk sent and not yet acknowledged, oldest first. */
      readonly unacked: number[]
      room: (() => void) | null
    }
    const streams = new Map<string, PullStream>()

    const handlePull = (requestId: string, payload: Record<string, unknown>) => {
      const cursor = payload.cursor as {
        _tag?: string
        value?: { backendId?: unknown; eventSequenceNumber?: unknown }
      }
      if (cursor?._tag === 'Some' && cursor.value?.backendId !== hub.backendId) {
        send(
          failExit(requestId, {
            _tag: 'BackendIdMismatchError',
            expected: hub.backendId,
            received: String(cursor.value?.backendId),
          }),
        )
        return
      }
      const from = cursor?._tag === 'Some' ? Number(cursor.value?.eventSequenceNumber) : 0
      if (!Number.isSafeInteger(from) || from < 0) {
        send(failExit(requestId, unknownError('the pull cursor is not a sequence number')))
        return
      }
      const stream: PullStream = { controller: new AbortController(), inflight: 0, unacked: [], room: null }
      streams.set(requestId, stream)
      const live = payload.live === true
      const emit = async (page: PullPage) => {
        while (stream.inflight >= ACK_WINDOW && !stream.controller.signal.aborted)
          await new Promise<void>((resolve) => (stream.room = resolve))
        stream.inflight += 1
        stream.unacked.push(page.events.at(-1)?.seqNum ?? from)
        send({ _tag: 'Chunk', requestId, values: [encodePage(page, hub.backendId)] })
      }
      hub.pull(from, live, emit, stream.controller.signal).then(
        () => {
          if (!live) {
            streams.delete(requestId)
            send({ _tag: 'Exit', requestId, exit: { _tag: 'Success' } })
          }
        },
        (error: unknown) => send(failExit(requestId, unknownError(String(error)))),
      )
    }

    const handlePush = async (requestId: string, payload: Record<string, unknown>) => {
      const batch = payload.batch
      if (!Array.isArray(batch) || !batch.every(isGlobalEvent)) {
        send(failExit(requestId, unknownError('the pushed batch is not a list of LiveStore events')))
        return
      }
      const backendId = payload.backendId as { _tag?: string; value?: unknown } | undefined
      const known =
        backendId?._tag === 'Some' && typeof backendId.value === 'string' ? backendId.value : undefined
      const outcome = await hub.push(batch, known)
      clients.pushed(client, batch)
      if (outcome.kind === 'appended') send({ _tag: 'Exit', requestId, exit: { _tag: 'Success', value: {} } })
      else if (outcome.kind === 'server-ahead')
        send(
          failExit(requestId, {
            _tag: 'ServerAheadError',
            minimumExpectedNum: outcome.minimumExpectedNum,
            providedNum: outcome.providedNum,
          }),
        )
      else if (outcome.kind === 'backend-mismatch')
        send(
          failExit(requestId, {
            _tag: 'BackendIdMismatchError',
            expected: outcome.expected,
            received: outcome.received,
          }),
        )
      else send(failExit(requestId, unknownError(outcome.reason)))
    }

    const onFrame = (message: Record<string, unknown>) => {
      switch (message._tag) {
        case 'Ping':
          send({ _tag: 'Pong' })
          return
        case 'Ack': {
          const stream = streams.get(String(message.requestId))
          if (!stream) return
          stream.inflight = Math.max(0, stream.inflight - 1)
          const acked = stream.unacked.shift()
          if (acked !== undefined) clients.acknowledged(client, acked)
          stream.room?.()
          stream.room = null
          return
        }
        case 'Interrupt': {
          const requestId = String(message.requestId)
          streams.get(requestId)?.controller.abort()
          streams.delete(requestId)
          return
        }
        case 'Eof':
          return
        case 'Request': {
          const requestId = String(message.id)
          const payload = (message.payload ?? {}) as Record<string, unknown>
          if (payload.storeId !== options.storeId)
            send(failExit(requestId, unknownError('the request names another store')))
          else if (message.tag === 'SyncWsRpc.Pull') handlePull(requestId, payload)
          else if (message.tag === 'SyncWsRpc.Push') void handlePush(requestId, payload)
          else send(failExit(requestId, unknownError(`unknown request ${String(message.tag)}`)))
          return
        }
        default:
        // Unknown frames are ignored rather than answered with a Defect, which would fail every request.
      }
    }

    ws.on('message', (data: RawData) => {
      clients.seen(client)
      let parsed: unknown
      try {
        parsed = JSON.parse(data.toString())
      } catch {
        return // not JSON: nothing to answer to
      }
      for (const message of Array.isArray(parsed) ? parsed : [parsed])
        if (typeof message === 'object' && message !== null) onFrame(message as Record<string, unknown>)
    })
    ws.on('close', () => {
      for (const stream of streams.values()) stream.controller.abort()
      streams.clear()
      clients.disconnected(client)
    })
    ws.on('error', () => ws.terminate())
  }

  return {
    handleUpgrade(request, socket, head) {
      const { storeId, payload } = connectParams(request)
      if (!sameToken(payload.authToken, options.token) || storeId !== options.storeId) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
        return
      }
      wss.handleUpgrade(request, socket, head, (ws) => onConnection(ws, payload))
    },
    dropAll: () => {
      for (const ws of wss.clients) ws.terminate()
    },
    close: () => {
      for (const ws of wss.clients) ws.terminate()
      wss.close()
    },
  }
}

function isGlobalEvent(value: unknown): value is GlobalEvent {
  const e = value as Partial<GlobalEvent> | null
  return (
    typeof e?.name === 'string' &&
    Number.isSafeInteger(e.seqNum) &&
    Number.isSafeInteger(e.parentSeqNum) &&
    typeof e.clientId === 'string' &&
    typeof e.sessionId === 'string'
  )
}
