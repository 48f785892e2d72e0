/**
 * Who is connected to the hub right now: the source of the live device status (online, connected since, last
 * seen, the head each client acknowledged, against the hub's head). Kept in memory: presence is about now;
 * the audit trail of connections is in the eventlog.
 */
import type { GlobalEvent } from './hub-eventlog'
import type { IdentityKind } from './hub-credentials'

export interface ClientConnection {
  readonly connectionId: number
  readonly deviceId: string
  readonly deviceName: string
  readonly kind: string
  /** The credential the connection presented: one of this machine's pages, or a device program. */
  readonly identity: IdentityKind
  /** LiveStore clientId, learnt from the first push (the WebSocket handshake does not carry it). */
  clientId: string | null
  readonly connectedAt: number
  lastSeenAt: number
  /** Highest event sequence number the client acknowledged receiving. */
  acknowledgedHead: number
  /** Pushes the hub refused from this connection: a client that keeps retrying them is wedged. */
  refusedPushes: number
  lastRefusal: string | null
}

/** Handshakes refused for one claimed device: clients that retry forever and would otherwise look offline. */
export interface RefusedHandshakes {
  readonly claimedDeviceId: string
  count: number
  lastAt: number
  lastReason: string
}

/** Distinct claimed devices remembered; a flood of made-up ids forgets the oldest. */
const REFUSED_HANDSHAKES_KEPT = 20

export type ClientsListener = (clients: readonly ClientConnection[]) => void

export interface ConnectedClients {
  connected(who: {
    deviceId: string
    deviceName: string
    kind: string
    identity: IdentityKind
  }): ClientConnection
  seen(client: ClientConnection): void
  pushed(client: ClientConnection, batch: readonly GlobalEvent[]): void
  acknowledged(client: ClientConnection, head: number): void
  /** A push from this connection was refused (also a change for listeners: the devices view shows it). */
  refused(client: ClientConnection, reason: string): void
  /** A handshake was refused; `claimedDeviceId` is what the payload said, unverified. */
  refusedHandshake(claimedDeviceId: string, reason: string): void
  disconnected(client: ClientConnection): void
  list(): readonly ClientConnection[]
  refusedHandshakes(): readonly RefusedHandshakes[]
  /** Called on connect, disconnect and acknowledgement (not on every frame). */
  subscribe(listener: ClientsListener): () => void
}

export function makeConnectedClients(now: () => number = Date.now): ConnectedClients {
  const clients = new Map<number, ClientConnection>()
  const refusals = new Map<string, RefusedHandshakes>()
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
        refusedPushes: 0,
        lastRefusal: null,
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
    refused(client, reason) {
      client.refusedPushes += 1
      client.lastRefusal = reason
      changed()
    },
    refusedHandshake(claimedDeviceId, reason) {
      const known = refusals.get(claimedDeviceId)
      refusals.delete(claimedDeviceId)
      refusals.set(claimedDeviceId, {
        claimedDeviceId,
        count: (known?.count ?? 0) + 1,
        lastAt: now(),
        lastReason: reason,
      })
      if (refusals.size > REFUSED_HANDSHAKES_KEPT) refusals.delete(refusals.keys().next().value as string)
    },
    disconnected(client) {
      if (clients.delete(client.connectionId)) changed()
    },
    list: () => [...clients.values()].map((c) => ({ ...c })),
    refusedHandshakes: () => [...refusals.values()].map((r) => ({ ...r })).reverse(),
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
