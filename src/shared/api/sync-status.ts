/**
 * What `syncStatus` answers: the hub's clients this second, what the bridge still has to turn into events, and,
 * with a sync worker, the relay's view of it and the library's machines. Part of the API contract (contract.ts).
 */

/** One client connected to the hub right now (the source of the devices view). */
export interface ConnectedClientStatus {
  readonly deviceId: string
  readonly deviceName: string
  readonly kind: string
  readonly clientId: string | null
  readonly connectedAt: number
  readonly lastSeenAt: number
  /** The last event sequence number the client acknowledged, and how far that is behind the hub's head. */
  readonly acknowledgedHead: number
  readonly lag: number
  /** Pushes the hub refused from this client, and why the last one was: a client that retries them is stuck. */
  readonly refusedPushes: number
  readonly lastRefusal: string | null
}

/** Clients the hub turned away at the handshake, by the device they claimed (unverified). */
export interface RefusedConnectionStatus {
  readonly claimedDeviceId: string
  readonly count: number
  readonly lastAt: number
  readonly lastReason: string
}

export interface SyncStatus {
  readonly device: { readonly id: string; readonly name: string }
  readonly hubHead: number
  readonly clients: readonly ConnectedClientStatus[]
  readonly refusedConnections: readonly RefusedConnectionStatus[]
  /** Changes in the repository not yet made into events (the bridge catching up after a large import). */
  readonly repositoryBacklog: number
  /** Events the app's own store made that the hub has not confirmed yet (with a remote: the sync worker). */
  readonly unconfirmed: number
  /** The sync worker this machine's hub relays to, as the relay sees it now; null when it relays to none. */
  readonly remote: RemoteSyncStatus | null
}

export interface RemoteSyncStatus {
  readonly url: string
  readonly storeId: string
  /** Unreachable stays the state while the relay tries again, until a connection succeeds. */
  readonly connection:
    | { readonly state: 'connecting' }
    | { readonly state: 'connected'; readonly since: number; readonly caughtUp: boolean }
    | { readonly state: 'unreachable'; readonly reason: string; readonly retryAt: number }
    | { readonly state: 'refused'; readonly reason: string }
    | { readonly state: 'stopped' }
  /** The worker's head as last seen (null before it first answered), and this machine's copy of its eventlog. */
  readonly remoteHead: number | null
  readonly localHead: number
  /** The library's machines as the worker lists them; null until it first answered. */
  readonly machines: RemoteMachines | null
  /** Events from the worker kept as refused in their place (not opened, forged, or impersonating a machine). */
  readonly refused: RefusedEventsStatus
  /** Message bodies on their way between this machine and the worker. */
  readonly bodies: BodiesStatus
}

/** Message bodies travel apart from events (src/main/bodies/): what is still to move, and what stops it. */
export interface BodiesStatus {
  /** Messages here of which only another machine's preview is here yet. */
  readonly toFetch: number
  /** Bodies this machine holds that the worker does not have yet. */
  readonly toStore: number
  /** Images the messages here refer to that another machine stored and this one has not fetched yet. */
  readonly imagesToFetch: number
  /** Why moving them stopped short last time (the worker away, its blob store down); null when it went through. */
  readonly problem: string | null
}

/** The same on every machine of the library: each stores a refusal alike, in the refused event's place. */
export interface RefusedEventsStatus {
  readonly count: number
  /** The latest refusal: where in the eventlog, what the refused event called itself, why, and when the worker took it. */
  readonly last: {
    readonly seqNum: number
    readonly refusedName: string
    readonly reason: string
    readonly at: number
  } | null
}

export type RemoteMachines =
  | { readonly libraryHead: number; readonly list: readonly RemoteMachine[]; readonly at: number }
  | { readonly problem: string; readonly at: number }

/** One machine of the library, as the worker knows it (its name opened here with the library key). */
export interface RemoteMachine {
  readonly machineId: string
  /** Null when the machine sent none or it does not open with this library's key. */
  readonly name: string | null
  readonly thisMachine: boolean
  readonly online: boolean
  /** ISO 8601, as the worker keeps them. */
  readonly since: string
  readonly lastSeen: string
  readonly head: number | null
  /** The library's head minus the machine's; null until the machine has pulled once. */
  readonly behind: number | null
  readonly version: string
}
