/**
 * The wire side of the hub's fuzz test: raw TCP exchanges (so a request line or header can be anything), a
 * WebSocket client that presents what this machine's page presents, and the API call whose answer time says
 * whether the host is still responsive.
 */
import { connect } from 'node:net'
import { WebSocket } from 'ws'

export interface RawAnswer {
  /** The HTTP status the server answered, or null when it closed or said nothing in time. */
  readonly status: number | null
  readonly closed: boolean
}

/** Writes `chunks` (each after the previous was flushed) and reads until the status line, close or timeout. */
export function rawExchange(port: number, chunks: readonly (string | Buffer)[], timeoutMs = 1_000) {
  return new Promise<RawAnswer>((resolve) => {
    const socket = connect(port, '127.0.0.1')
    let received = ''
    const finish = (closed: boolean) => {
      clearTimeout(timer)
      socket.destroy()
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(received)
      resolve({ status: match ? Number(match[1]) : null, closed })
    }
    const timer = setTimeout(() => finish(false), timeoutMs)
    socket.on('data', (data: Buffer) => {
      received += data.toString('latin1')
      if (received.includes('\r\n')) finish(false)
    })
    socket.on('close', () => finish(true))
    socket.on('error', () => undefined)
    socket.on('connect', async () => {
      for (const chunk of chunks) await new Promise<void>((written) => socket.write(chunk, () => written()))
    })
  })
}

/** `POST /api/<method>` with the launch token, and how long the answer took. */
export async function callApi(origin: string, token: string, method: string, args: unknown = {}) {
  const started = performance.now()
  const response = await fetch(`${origin}/api/${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(args),
    signal: AbortSignal.timeout(10_000),
  })
  const body = (await response.json()) as { ok: boolean; value?: unknown; error?: unknown }
  return { status: response.status, body, ms: performance.now() - started }
}

/** What the page presents to the hub, taken from the API's `session` as the page takes it. */
export async function pageSyncPayload(origin: string, token: string): Promise<Record<string, unknown>> {
  const { body } = await callApi(origin, token, 'session')
  const session = body.value as { hub: { url: string; token: string }; device: { id: string; name: string } }
  return {
    authToken: session.hub.token,
    deviceId: session.device.id,
    deviceName: session.device.name,
    clientKind: 'ui',
  }
}

export const syncTarget = (storeId: string, payload: string) =>
  `/sync?storeId=${storeId}&payload=${encodeURIComponent(encodeURIComponent(payload))}&transport=ws`

export interface FuzzSocket {
  readonly isOpen: () => boolean
  send(data: string): void
  /**
   * A non-live pull with a fresh id, answered once the hub handled every frame before it (frames are handled in
   * order): true when its Exit came within `timeoutMs`.
   */
  settled(timeoutMs?: number): Promise<boolean>
  /** Whether anything (a chunk, an exit) answered request `id` on this connection. */
  answered(id: string): boolean
  close(): Promise<void>
}

/**
 * A WebSocket on the hub with a good handshake. Chunks are acknowledged as LiveStore's client does, unless
 * `acknowledge` is false (a client that lets the hub's window fill).
 */
export async function connectGood(
  syncUrl: string,
  storeId: string,
  payload: Record<string, unknown>,
  { acknowledge = true } = {},
) {
  const url = `${syncUrl.replace(/\/sync$/, '')}${syncTarget(storeId, JSON.stringify(payload))}`
  const ws = new WebSocket(url, { handshakeTimeout: 5_000 })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('unexpected-response', (_request, response) =>
      reject(new Error(`the good handshake was answered ${response.statusCode}`)),
    )
    ws.once('error', reject)
  })
  const exits = new Map<string, (answered: boolean) => void>()
  // Where the hub is, learnt from the chunks it sends: markers pull from there and read nothing old.
  let backendId: string | null = null
  let head = 0
  const answered = new Set<string>()
  ws.on('error', () => undefined)
  ws.on('close', () => [...exits.values()].forEach((done) => done(false)))
  ws.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString()) as {
      _tag?: string
      requestId?: string
      values?: { backendId?: string; batch?: { eventEncoded: { seqNum: number } }[] }[]
    }
    if (typeof message.requestId === 'string') answered.add(message.requestId)
    if (message._tag === 'Chunk') {
      if (acknowledge) ws.send(JSON.stringify({ _tag: 'Ack', requestId: message.requestId }))
      for (const value of message.values ?? []) {
        backendId = value.backendId ?? backendId
        head = Math.max(head, value.batch?.at(-1)?.eventEncoded.seqNum ?? 0)
      }
    }
    if (message._tag === 'Exit') exits.get(String(message.requestId))?.(true)
  })
  let markers = 0
  const socket: FuzzSocket = {
    isOpen: () => ws.readyState === ws.OPEN,
    send: (data) => ws.send(data),
    answered: (id) => answered.has(id),
    settled(timeoutMs = 3_000) {
      const id = `settled-${(markers += 1)}`
      return new Promise<boolean>((resolve) => {
        const done = (answered: boolean) => {
          clearTimeout(timer)
          exits.delete(id)
          resolve(answered)
        }
        const timer = setTimeout(() => done(false), timeoutMs)
        exits.set(id, done)
        if (ws.readyState !== ws.OPEN) return done(false)
        const cursor =
          backendId === null
            ? { _tag: 'None' }
            : { _tag: 'Some', value: { backendId, eventSequenceNumber: head } }
        const payload = { storeId, cursor, live: false }
        ws.send(JSON.stringify({ _tag: 'Request', id, tag: 'SyncWsRpc.Pull', payload, headers: [] }))
      })
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === ws.CLOSED) return resolve()
        ws.once('close', () => resolve())
        ws.terminate()
      }),
  }
  return socket
}
