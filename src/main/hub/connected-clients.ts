/**
 * Who is connected to the hub right now: the source of the live device status (online, connected since, last
 * seen, the head each client acknowledged, against the hub's head). Kept in memory: presence is about now;
 * the audit trail of connections is in the eventlog.
 */
import type { GlobalEvent } from './hub-eventlog'

export interface ClientConnection {
  readonly connectionId: number
  readonly deviceId: string
  readonly deviceName: string
  readonly kind: string
  /** LiveStore clientId, learnt from the first push (the WebSocket handshake does not carry it). */
  clientId: string | null
  readonly connectedAt: number
  lastSeenAt: number
  /** Highest event sequence number the client acknowledged receiving. */
  acknowledgedHead: number
}

export type ClientsListener = (clients: readonly ClientConnection[]) => void

export interface ConnectedClients {
  connected(who: { deviceId: string; deviceName: string; kind: string }): ClientConnection
  seen(client: ClientConnection): void
  pushed(client: ClientConnection, batch: readonly GlobalEvent[]): void
  acknowledged(client: ClientConnection, head: number): void
  disconnected(client: ClientConnection): void
  list(): readonly ClientConnection[]
  /** Called on connect, disconnect and acknowledgement (not on every frame). */
  subscribe(listener: ClientsListener): () => void
}

export function makeConnectedClients(now: () => number = Date.now): ConnectedClients {
  const clients = new Map<number, ClientConnection>()
  const listeners = new Set<ClientsListener>()
  let nextId = 1
  const changed = () => {
    const snapshot = [...clients.values()].map((c) => ({ ...c }))
    for (const listener of listeners) listener(snapshot)
  }
  return {
    connected(who) {
      const at = now()
      const client: ClientConnection = {
        connectionId: nextId++,
        ...who,
        clientId: null,
        connectedAt: at,
        lastSeenAt: at,
        acknowledgedHead: 0,
      }
      clients.set(client.connectionId, client)
      changed()
      return client
    },
    seen(client) {
      client.lastSeenAt = now()
    },
    pushed(client, batch) {
      client.clientId ??= batch[0]?.clientId ?? null
    },
    acknowledged(client, head) {
      if (head <= client.acknowledgedHead) return
      client.acknowledgedHead = head
      changed()
    },
    disconnected(client) {
      if (clients.delete(client.connectionId)) changed()
    },
    list: () => [...clients.values()].map((c) => ({ ...c })),
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
