/**
 * The hub over WebSocket, speaking the wire protocol of LiveStore's own client (`makeWsSync` from
 * @livestore/sync-cf): Effect RPC with JSON serialisation, one JSON message per text frame. Because the protocol
 * is the Cloudflare backend's, moving a device to that backend is a change of URL, not of code.
 *
 * Client → hub: Request (SyncWsRpc.Pull / SyncWsRpc.Push), Ack (after each chunk it consumed), Interrupt, Ping,
 * Eof. Hub → client: Chunk (pull pages), Exit (push acknowledged or failed, non-live pull ended), Pong.
 * The upgrade carries `?storeId=…&payload=<JSON>&transport=ws`; the payload holds the client's credential and the
 * device it speaks for (hub-credentials.ts), which is bound to the connection and checked on every push.
 *
 * It is a trust boundary for any program on this machine: a handshake without a valid credential is refused (401,
 * and remembered for the devices view), every frame is handled on its own (one that throws fails its request, not
 * the process), request ids are short strings used once at a time, pulls and pushes in flight per connection are
 * capped, and every pull stream ends with its socket.
 */
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import type { Log } from '../logger'
import type { Hub, PullPage } from './hub'
import type { ConnectedClients } from './connected-clients'
import {
  describeIdentity,
  isRefusal,
  type ClientIdentity,
  type HandshakePayload,
  type HubCredentials,
} from './hub-credentials'
import {
  encodePage,
  failExit,
  framesOf,
  isGlobalEvent,
  isRecord,
  pullCursorOf,
  pushBackendIdOf,
  requestIdOf,
  unknownError,
  type Frame,
} from './ws-sync-frames'

/** Un-acknowledged chunks per pull stream before the hub waits for the client. */
const ACK_WINDOW = 8
const MAX_FRAME_BYTES = 4 * 1024 * 1024
/** A LiveStore client keeps one live pull and pushes one batch at a time; these leave room and stop floods. */
const MAX_PULLS_PER_CONNECTION = 8
const MAX_PUSHES_IN_FLIGHT = 4
const MAX_FRAMES_PER_MESSAGE = 64

export interface WsSyncServerOptions {
  readonly hub: Hub
  readonly storeId: string
  readonly credentials: HubCredentials
  readonly clients: ConnectedClients
  readonly log?: Log
}

export interface WsSyncServer {
  /** Takes an HTTP upgrade request: a wrong credential or store is answered 401, anything else becomes a client. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void
  /** Drops every connection (tests: a network failure; shutdown). */
  dropAll(): void
  close(): void
}

interface ConnectRequest {
  readonly storeId: string | null
  readonly payload: HandshakePayload & { readonly deviceName?: unknown; readonly clientKind?: unknown }
}

/** `payload` is encodeURIComponent(JSON), then URL-encoded again by URLSearchParams (SearchParamsSchema). */
function connectRequestOf(request: IncomingMessage): ConnectRequest | null {
  let url: URL
  try {
    url = new URL(request.url ?? '/', 'http://127.0.0.1')
  } catch {
    return null
  }
  let payload: ConnectRequest['payload'] = {}
  try {
    const raw = url.searchParams.get('payload')
    const parsed: unknown = raw === null ? {} : JSON.parse(decodeURIComponent(raw))
    if (isRecord(parsed)) payload = parsed
  } catch {
    // A payload that is not JSON carries no credential: refused by the caller.
  }
  return { storeId: url.searchParams.get('storeId'), payload }
}

const shortText = (value: unknown, fallback: string, max: number) =>
  typeof value === 'string' ? value.slice(0, max) : fallback

const refuse = (socket: Duplex, status: string) => {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}

export function makeWsSyncServer(options: WsSyncServerOptions): WsSyncServer {
  const { hub, clients, credentials } = options
  const log = options.log ?? (() => undefined)
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES })

  const onConnection = (ws: WebSocket, identity: ClientIdentity, payload: ConnectRequest['payload']) => {
    const client = clients.connected({
      deviceId: identity.deviceId,
      deviceName: shortText(payload.deviceName, '', 100),
      kind: shortText(payload.clientKind, identity.kind, 20),
      identity: identity.kind,
    })
    const who = describeIdentity(identity)
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
    const pushes = new Set<string>()
    let pinnedClientId: string | null = null

    const endStream = (requestId: string) => {
      const stream = streams.get(requestId)
      if (!stream) return
      streams.delete(requestId)
      stream.controller.abort()
      // A stream waiting for an acknowledgement that will never come would hold its pull forever.
      stream.room?.()
      stream.room = null
    }

    const handlePull = (requestId: string, payload: Record<string, unknown>) => {
      const cursor = pullCursorOf(payload)
      if ('problem' in cursor) return send(failExit(requestId, unknownError(cursor.problem)))
      if (cursor.backendId !== null && cursor.backendId !== hub.backendId)
        return send(
          failExit(requestId, {
            _tag: 'BackendIdMismatchError',
            expected: hub.backendId,
            received: cursor.backendId,
          }),
        )
      if (streams.size >= MAX_PULLS_PER_CONNECTION)
        return send(failExit(requestId, unknownError(`at most ${MAX_PULLS_PER_CONNECTION} pulls at once`)))
      const stream: PullStream = { controller: new AbortController(), inflight: 0, unacked: [], room: null }
      streams.set(requestId, stream)
      const { signal } = stream.controller
      const live = payload.live === true
      const emit = async (page: PullPage) => {
        while (stream.inflight >= ACK_WINDOW && !signal.aborted)
          await new Promise<void>((resolve) => (stream.room = resolve))
        if (signal.aborted) return
        stream.inflight += 1
        stream.unacked.push(page.events.at(-1)?.seqNum ?? cursor.from)
        send({ _tag: 'Chunk', requestId, values: [encodePage(page, hub.backendId)] })
      }
      hub.pull(cursor.from, live, emit, signal).then(
        () => {
          if (signal.aborted) return
          if (!live) {
            streams.delete(requestId)
            send({ _tag: 'Exit', requestId, exit: { _tag: 'Success' } })
          }
        },
        (error: unknown) => {
          streams.delete(requestId)
          if (!signal.aborted) send(failExit(requestId, unknownError(String(error))))
        },
      )
    }

    const handlePush = async (requestId: string, payload: Record<string, unknown>) => {
      const batch = payload.batch
      if (!Array.isArray(batch) || !batch.every(isGlobalEvent))
        return send(failExit(requestId, unknownError('the pushed batch is not a list of LiveStore events')))
      const outcome = await hub.push(batch, {
        identity,
        clientBackendId: pushBackendIdOf(payload),
        pinnedClientId,
      })
      if (outcome.kind === 'appended') {
        clients.pushed(client, batch)
        pinnedClientId ??= batch[0]?.clientId ?? null
        send({ _tag: 'Exit', requestId, exit: { _tag: 'Success', value: {} } })
      } else if (outcome.kind === 'server-ahead')
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
      else {
        // A refused client retries its push; the log says why once per reason, not once per retry.
        if (outcome.reason !== client.lastRefusal) log(`hub refused a push from ${who}: ${outcome.reason}`)
        clients.refused(client, outcome.reason)
        send(failExit(requestId, unknownError(`refused: ${outcome.reason}`)))
      }
    }

    const startPush = (requestId: string, payload: Record<string, unknown>) => {
      if (pushes.size >= MAX_PUSHES_IN_FLIGHT)
        return send(failExit(requestId, unknownError(`at most ${MAX_PUSHES_IN_FLIGHT} pushes at once`)))
      pushes.add(requestId)
      handlePush(requestId, payload)
        .catch((error: unknown) => {
          log(`hub push from ${who} failed: ${String(error)}`)
          send(failExit(requestId, unknownError('the hub could not store this push')))
        })
        .finally(() => pushes.delete(requestId))
    }

    const onRequest = (frame: Frame) => {
      const requestId = requestIdOf(frame.id)
      if (requestId === null) return // nothing to answer to
      if (streams.has(requestId) || pushes.has(requestId))
        return send(failExit(requestId, unknownError('this request id is already in use')))
      const payload = isRecord(frame.payload) ? frame.payload : {}
      if (payload.storeId !== options.storeId)
        send(failExit(requestId, unknownError('the request names another store')))
      else if (frame.tag === 'SyncWsRpc.Pull') handlePull(requestId, payload)
      else if (frame.tag === 'SyncWsRpc.Push') startPush(requestId, payload)
      else send(failExit(requestId, unknownError('unknown request')))
    }

    const onFrame = (frame: Frame) => {
      switch (frame._tag) {
        case 'Ping':
          return send({ _tag: 'Pong' })
        case 'Ack': {
          const stream = streams.get(requestIdOf(frame.requestId) ?? '')
          if (!stream) return
          stream.inflight = Math.max(0, stream.inflight - 1)
          const acked = stream.unacked.shift()
          if (acked !== undefined) clients.acknowledged(client, acked)
          stream.room?.()
          stream.room = null
          return
        }
        case 'Interrupt':
          return endStream(requestIdOf(frame.requestId) ?? '')
        case 'Request':
          return onRequest(frame)
        default:
        // Eof and unknown frames are ignored rather than answered with a Defect, which would fail every request.
      }
    }

    ws.on('message', (data: RawData) => {
      clients.seen(client)
      const frames = framesOf(data.toString())
      if (frames === null) return // not the protocol: nothing to answer to
      if (frames.length > MAX_FRAMES_PER_MESSAGE) {
        log(`hub closed a connection of ${who}: ${frames.length} frames in one message`)
        return ws.close(1008, 'too many frames in one message')
      }
      for (const frame of frames) {
        try {
          onFrame(frame)
        } catch (error) {
          log(`hub could not handle a frame from ${who}: ${String(error)}`)
          // A request that made us throw still gets its answer: its client would otherwise wait for ever.
          const requestId = frame._tag === 'Request' ? requestIdOf(frame.id) : null
          if (requestId !== null)
            send(failExit(requestId, unknownError('the hub could not read this request')))
        }
      }
    })
    ws.on('close', () => {
      for (const requestId of [...streams.keys()]) endStream(requestId)
      clients.disconnected(client)
    })
    ws.on('error', () => ws.terminate())
  }

  const upgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const connect = connectRequestOf(request)
    if (connect === null) return refuse(socket, '400 Bad Request')
    const identity = credentials.identify(connect.payload)
    const claimed = shortText(connect.payload.deviceId, 'unnamed', 64)
    if (isRefusal(identity) || connect.storeId !== options.storeId) {
      const reason = isRefusal(identity) ? identity.refused : 'another store'
      clients.refusedHandshake(claimed, reason)
      return refuse(socket, '401 Unauthorized')
    }
    wss.handleUpgrade(request, socket, head, (ws) => onConnection(ws, identity, connect.payload))
  }

  return {
    handleUpgrade(request, socket, head) {
      try {
        upgrade(request, socket, head)
      } catch (error) {
        log(`hub refused an upgrade it could not read: ${String(error)}`)
        socket.destroy()
      }
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
