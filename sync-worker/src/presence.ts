/**
 * Which machines of a library are connected, since when, last seen, and how far each has got, kept by the
 * library's sync Durable Object as it serves the relays' sockets (sync-backend.ts wires it in).
 *
 * A machine's head is the last sequence number it is known to hold: the cursor it names when it pulls (exact), then
 * the last event of each pull page it acknowledges. sync-cf's hooks (onPull, onPush) are class options without
 * access to the object's storage or to the socket, and the live pull's later pages are sent by sync-cf's push
 * broadcast, which no hook sees. So the tracker reads what passes on the socket: every `Chunk` it sends (the
 * last `"seqNum":` in a page is its last event's, as an event's args precede its seqNum in LiveStore's encoding
 * and sealed args are a string) is queued per request, and the client's `Ack` for that request, which Effect RPC
 * sends once the page is consumed, takes the oldest off the queue. Pushes need no reading: sync-cf sends each
 * accepted push back to its pusher as a page, which it acknowledges like any other.
 *
 * Connected means a socket open now (the object's own list of sockets, which survives hibernation); a
 * machine's row stays after it leaves, with when it was last seen. The page queues are memory only: after the
 * object is evicted, heads move again from the next pull.
 */
import { PRESENCE_HEADERS, readPresenceHeaders } from './presence-headers'
import { PresenceStore, type MachineRow } from './presence-store'

/** Incoming frames above this size are pushes (up to 900 kB): not parsed here, they only count as seen. */
const MAX_PARSED_FRAME_CHARS = 4096
const WS_OPEN = 1

export interface DevicesReport {
  readonly storeId: string
  /** The library's head: the last sequence number in the Worker's eventlog. */
  readonly head: number
  readonly machines: readonly (Omit<MachineRow, 'sealedName'> & {
    readonly connected: boolean
    readonly sealedName?: string
  })[]
}

type Socket = WebSocket & { __chronicleTracked?: true }

export class Presence {
  readonly #store: PresenceStore
  /** Per socket, per pull request: the last sequence number of each page sent and not yet acknowledged. */
  readonly #unacked = new WeakMap<WebSocket, Map<string, (number | null)[]>>()

  constructor(private readonly ctx: DurableObjectState) {
    this.#store = new PresenceStore(ctx.storage.sql)
    // Woken from hibernation with sockets open: watch them all before the first message is handled, so no page
    // goes out unrecorded and an Ack is never paired with the wrong page.
    this.watchSockets()
  }

  /** Before sync-cf accepts a socket: records the machine, or says the library has no room for it. */
  admit(request: Request): 'untracked' | 'admitted' | 'full' {
    const headers = readPresenceHeaders(request.headers)
    if (headers.kind !== 'machine') return 'untracked' // the Worker refused 'invalid' already
    return this.#store.connect(headers.presence, now(), this.connectedMachines()) ? 'admitted' : 'full'
  }

  /** After sync-cf accepted a socket: watch what it sends on every machine's socket not watched yet. */
  watchSockets(): void {
    for (const socket of this.ctx.getWebSockets()) this.watch(socket)
  }

  received(socket: WebSocket, message: string | ArrayBuffer): void {
    const machineId = machineOf(socket)
    if (machineId === undefined) return
    const at = now()
    const frame =
      typeof message === 'string' && message.length <= MAX_PARSED_FRAME_CHARS ? parse(message) : null
    if (frame?._tag === 'Ack' && typeof frame.requestId === 'string') {
      const head = this.#unacked.get(socket)?.get(frame.requestId)?.shift()
      if (typeof head === 'number') return this.#store.advanceHead(machineId, head, at)
    }
    if (frame?._tag === 'Request' && frame.tag === 'SyncWsRpc.Pull') {
      const cursor = pullCursor(frame.payload)
      if (cursor !== undefined) return this.#store.setHead(machineId, cursor, at)
    }
    this.#store.seen(machineId, at)
  }

  closed(socket: WebSocket): void {
    const machineId = machineOf(socket)
    if (machineId !== undefined) this.#store.seen(machineId, now())
  }

  report(storeId: string): DevicesReport {
    const connected = this.connectedMachines()
    const at = now()
    return {
      storeId,
      head: this.libraryHead(storeId),
      machines: this.#store.list().map(({ sealedName, ...row }) => ({
        ...row,
        connected: connected.has(row.machineId),
        lastSeen: connected.has(row.machineId) ? at : row.lastSeen,
        ...(sealedName === null ? {} : { sealedName }),
      })),
    }
  }

  private connectedMachines(): Set<string> {
    const machines = new Set<string>()
    for (const socket of this.ctx.getWebSockets()) {
      const machineId = socket.readyState === WS_OPEN ? machineOf(socket) : undefined
      if (machineId !== undefined) machines.add(machineId)
    }
    return machines
  }

  /**
   * sync-cf keeps the head in its context table, named for its persistence format (7 in sync-cf 0.4.0; a new
   * format would be a new table, and presence.test.ts would see the head stay 0). No table yet: nothing pushed.
   */
  private libraryHead(storeId: string): number {
    const sql = this.ctx.storage.sql
    const exists = sql
      .exec<{ n: number }>(
        "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'context_7'",
      )
      .one().n
    if (exists === 0) return 0
    const row = sql
      .exec<{ currentHead: number }>('SELECT currentHead FROM context_7 WHERE storeId = ?', storeId)
      .toArray()[0]
    return row?.currentHead ?? 0
  }

  private watch(socket: Socket): void {
    // Clients that did not say which machine they are (LiveStore's own, `sync status`'s check) are not listed.
    if (socket.__chronicleTracked === true || machineOf(socket) === undefined) return
    socket.__chronicleTracked = true
    const queues = new Map<string, (number | null)[]>()
    this.#unacked.set(socket, queues)
    const send = socket.send.bind(socket)
    socket.send = (message: string | ArrayBuffer | ArrayBufferView) => {
      if (typeof message === 'string') notePage(queues, message)
      send(message)
    }
  }
}

function notePage(queues: Map<string, (number | null)[]>, message: string): void {
  if (!message.startsWith('{"_tag":"Chunk"')) return
  const requestId = /"requestId":"([^"]{1,64})"/.exec(message.slice(0, 120))?.[1]
  if (requestId === undefined) return
  const key = '"seqNum":'
  const at = message.lastIndexOf(key)
  const seqNum =
    at < 0 ? null : Number(/^\d+/.exec(message.slice(at + key.length, at + key.length + 20))?.[0])
  const queue = queues.get(requestId) ?? []
  queue.push(seqNum !== null && Number.isSafeInteger(seqNum) ? seqNum : null)
  // A client that never acknowledges must not grow the queue without end.
  if (queue.length > 1000) queue.shift()
  queues.set(requestId, queue)
}

function machineOf(socket: WebSocket): string | undefined {
  try {
    const attachment: unknown = socket.deserializeAttachment()
    const value: unknown = typeof attachment === 'string' ? JSON.parse(attachment) : attachment
    const headers = isRecord(value) && isRecord(value.headers) ? value.headers : {}
    const machineId = headers[PRESENCE_HEADERS.machineId]
    return typeof machineId === 'string' ? machineId : undefined
  } catch {
    return undefined
  }
}

function pullCursor(payload: unknown): number | undefined {
  if (!isRecord(payload) || !isRecord(payload.cursor)) return undefined
  if (payload.cursor._tag === 'None') return 0
  const value = isRecord(payload.cursor.value) ? payload.cursor.value.eventSequenceNumber : undefined
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined
}

function parse(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text)
    return isRecord(value) ? value : null
  } catch {
    return null
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const now = (): string => new Date().toISOString()
