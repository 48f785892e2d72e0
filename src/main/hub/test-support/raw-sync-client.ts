/**
 * A hand-driven client of the hub's WebSocket protocol, for tests that say what LiveStore's own client never
 * would: pushes of forged or ill-typed events, malformed frames, floods of pulls.
 */
import { WebSocket } from 'ws'
import { STORE_ID } from '../../../shared/livestore/store-id'

export interface RawSyncClient {
  /** Sends a frame (an object is JSON-encoded; a string goes as it is). */
  send(frame: unknown): void
  /** The next frame answering `requestId` (an Exit or a Chunk). */
  answer(requestId: string): Promise<Record<string, unknown>>
  /** Pushes events after `head` as one batch and resolves with the Exit. */
  push(id: string, events: readonly PushedEvent[], head: number): Promise<Record<string, unknown>>
  close(): void
  readonly closed: Promise<void>
}

export interface PushedEvent {
  readonly name: string
  readonly args: unknown
  readonly clientId: string
}

/** The upgrade URL LiveStore's client would use for `payload`. */
export const syncUrl = (hubUrl: string, payload: unknown, storeId = STORE_ID) =>
  `${hubUrl}?storeId=${storeId}&payload=${encodeURIComponent(encodeURIComponent(JSON.stringify(payload)))}&transport=ws`

/** Connects, or rejects with the HTTP status the hub answered the upgrade with. */
export function connectRaw(hubUrl: string, payload: unknown): Promise<RawSyncClient> {
  const socket = new WebSocket(syncUrl(hubUrl, payload))
  const frames: Record<string, unknown>[] = []
  const waiters = new Set<() => void>()
  socket.on('message', (data) => {
    const parsed = JSON.parse(String(data)) as Record<string, unknown>
    frames.push(parsed)
    for (const waiter of [...waiters]) waiter()
  })
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  const client: RawSyncClient = {
    send: (frame) => socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    answer: (requestId) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no answer to request ${requestId}`)), 10_000)
        const look = () => {
          const index = frames.findIndex((f) => f.requestId === requestId)
          if (index === -1) return
          const [frame] = frames.splice(index, 1)
          waiters.delete(look)
          clearTimeout(timer)
          resolve(frame as Record<string, unknown>)
        }
        waiters.add(look)
        look()
      }),
    push(id, events, head) {
      client.send({
        _tag: 'Request',
        id,
        tag: 'SyncWsRpc.Push',
        payload: {
          storeId: STORE_ID,
          backendId: { _tag: 'None' },
          batch: events.map((event, i) => ({
            ...event,
            seqNum: head + i + 1,
            parentSeqNum: head + i,
            sessionId: 'raw-session',
          })),
        },
        headers: [],
      })
      return client.answer(id)
    },
    close: () => socket.close(),
    closed,
  }
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(client))
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`upgrade refused: ${response.statusCode}`)),
    )
    socket.once('error', reject)
  })
}

/** The message of a failed Exit, or 'success'. */
export function outcomeOf(exit: Record<string, unknown>): string {
  const result = exit.exit as {
    _tag: string
    cause?: { error?: { _tag?: string; cause?: { message?: string } } }
  }
  if (result._tag === 'Success') return 'success'
  const error = result.cause?.error
  return `${error?._tag}: ${error?.cause?.message ?? ''}`
}
