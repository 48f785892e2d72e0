/**
 * The main side's sync machinery, composed once for every way Chronicle runs (the Electron app, `chronicle
 * serve`, tests): the hub over the repository's eventlog, the main-process LiveStore store on the in-process
 * backend, the bridge, and the WebSocket endpoint other clients reach the hub through. The sync backend of the
 * main store is the one configuration point; the bridge and the UI do not depend on it.
 */
import { platform } from 'node:os'
import { events, tables } from '../../shared/livestore/schema'
import { appVersion } from '../app-version'
import { makeBridge, type Bridge } from '../bridge/bridge'
import { hubConfirmedEvents } from '../bridge/confirmed-events'
import { makeConnectedClients, type ClientConnection, type ConnectedClients } from '../hub/connected-clients'
import { makeHubCredentials, type HubCredentials } from '../hub/hub-credentials'
import { makeHub, type Hub } from '../hub/hub'
import { openHubEventlog } from '../hub/hub-eventlog'
import { makeInProcessSync } from '../hub/in-process-sync'
import { mainClientIdOf } from '../hub/push-policy'
import { makeWsSyncServer, type WsSyncServer } from '../hub/ws-sync-server'
import { openChronicleStore, STORE_ID, type ChronicleStore } from '../livestore/chronicle-store'
import type { ImportRun } from '../import/import-sources'
import type { Log } from '../logger'
import type { Repository } from '../repository/repository'
import { loadOrCreateSigningKey, type SigningKey } from '../audit/signing-key'
import { loadDeviceIdentity, saveDeviceName, type DeviceIdentity } from './device-identity'
import { makeMachineListCache, type MachineListCache } from '../relay/machine-list-cache'
import { makeRelay, type Relay, type RelayConfig } from '../relay/relay'
import { machinePresence } from './machine-presence'
import { startBodyTransfer, type BodyTransfer, type BodyTransferOptions } from '../bodies/body-transfer'
import { forLibrary } from '../bodies/pack-sweeps'

/** How long closing waits for the in-process hub to take the store's last events (it takes them in milliseconds). */
const HUB_TAKES_LAST_EVENTS_MS = 10_000

export interface SyncRuntimeOptions {
  readonly dataDir: string
  readonly repository: Repository
  readonly kind?: 'desktop' | 'web' | 'cli'
  readonly log: Log
  /** Milliseconds between the bridge's polls behind its wake-ups (bridge.ts FALLBACK_POLL_MS). */
  readonly bridgeIntervalMs?: number
  /**
   * The sync Worker this machine's hub relays to (relay/relay.ts): the hub's eventlog becomes a replica of the
   * Worker's, and local pushes are confirmed only when the Worker confirms them. None: the hub is the authority.
   */
  readonly relay?: RelayConfig | null
  /** The body transfer's timings and network (tests shorten them, or cut the blob routes off). */
  readonly bodyTransfer?: Pick<
    BodyTransferOptions,
    'pollMs' | 'restoreCheckMs' | 'packRetryMs' | 'removalGraceMs' | 'fetch'
  >
  /** The credentials of a runtime this one replaces (the application re-opening sync): its clients get back in. */
  readonly credentials?: HubCredentials
}

export interface SyncRuntime {
  /** This device as it is now (the name changes with renameDevice). */
  readonly device: DeviceIdentity
  /** Keeps the new name in device.json and tells every device with a DeviceRenamed event. */
  renameDevice(name: string): Promise<DeviceIdentity>
  readonly hub: Hub
  /** The relay to the sync Worker, when one is configured: its status is what `sync status` reports. */
  readonly relay: Relay | null
  /** Message bodies to and from the sync Worker, when one is configured. */
  readonly bodies: BodyTransfer | null
  /** The library's machines as the Worker lists them, when one is configured. */
  readonly machines: MachineListCache | null
  /** What this machine's pages (pageCredential) and local device programs (deviceCredential, in hub.json) present. */
  readonly credentials: HubCredentials
  readonly clients: ConnectedClients
  readonly wsServer: WsSyncServer
  readonly store: ChronicleStore
  readonly bridge: Bridge
  /** Change-feed rows the bridge has not yet turned into events. */
  repositoryBacklog(): Promise<number>
  /** Records an import run that wrote something as ImportStarted and ImportFinished events. */
  recordImport(run: ImportRun): void
  /** Stops the bridge after a last drain, then the store once its leader has everything. */
  close(): Promise<void>
}

export async function startSyncRuntime(options: SyncRuntimeOptions): Promise<SyncRuntime> {
  const { repository, dataDir, log } = options
  let device = loadDeviceIdentity(dataDir)
  // The key that signs audit exports is made with the device, on first run, so its fingerprint is known early.
  const signingKey = loadOrCreateSigningKey(dataDir)
  const mainClientId = mainClientIdOf(device.id)
  const eventlog = await openHubEventlog(repository.db)
  const relay = options.relay
    ? makeRelay({
        ...options.relay,
        presence: machinePresence(device, appVersion(), options.relay.key, options.relay.storeId),
        local: eventlog,
        db: repository.db,
        log,
        signingKey,
      })
    : null
  const hub = await makeHub(relay?.eventlog ?? eventlog, new Set([mainClientId]))
  relay?.onReplicated((head) => hub.noteAppended(head))
  relay?.start()
  const clients = makeConnectedClients()
  const credentials = options.credentials ?? makeHubCredentials(device.id)
  const wsServer = makeWsSyncServer({ hub, storeId: STORE_ID, credentials, clients, log })
  const kind = options.kind ?? 'desktop'
  const store = await openChronicleStore({
    dataDir,
    clientId: mainClientId,
    backend: makeInProcessSync(hub, { kind: 'host', deviceId: device.id }),
    log,
  })
  void store.stopped.then((reason) => log(`LiveStore stopped: ${reason}`))
  await registerDevice(store, device, kind, signingKey)
  const stopPresence = recordPresence(clients, store, device.id, log)
  // Before the bridge applies anything: the body tables of another library are forgotten (pack-sweeps.ts).
  if (options.relay && (await forLibrary(repository.db, options.relay.storeId)))
    log(`bodies: every body held here is queued for library ${options.relay.storeId}`)
  const bridge = makeBridge({
    repository,
    confirmed: hubConfirmedEvents(hub),
    store,
    deviceId: device.id,
    onProblem: log,
  })
  // Not awaited: a large library takes the bridge minutes the first time, and the window, the page and the
  // hub's clients are served meanwhile (the sync indicator counts the backlog).
  bridge.start(options.bridgeIntervalMs)
  // Not for the command line's short runs (an audit export catching the trail up): bodies move while the app runs.
  const bodies =
    options.relay && kind !== 'cli'
      ? startBodyTransfer({
          repository,
          remote: options.relay,
          deviceId: device.id,
          commit: (batch) => store.commit(batch),
          eventsBusy: async () => (await store.unconfirmed()) > 0 || (await bridge.backlog()) > 0,
          log,
          ...options.bodyTransfer,
        })
      : null
  return {
    get device() {
      return device
    },
    async renameDevice(name) {
      device = saveDeviceName(dataDir, device, name)
      await store.commit([
        events.deviceRenamed({ at: Date.now(), deviceId: device.id, actor: 'user', origin: 'ui', name }),
      ])
      return device
    },
    hub,
    relay,
    bodies,
    machines: options.relay ? makeMachineListCache(options.relay, device.id) : null,
    credentials,
    clients,
    wsServer,
    store,
    bridge,
    repositoryBacklog: () => bridge.backlog(),
    recordImport(run) {
      const meta = { deviceId: device.id, actor: 'importer', origin: 'import' as const }
      const importId = `${device.id}:${run.startedAt}:${run.root}`
      const { conversations, messages, problems } = run.summary
      // The event's counts are the four it was released with; messages found gone are updates to it.
      const counts = ({ added, updated, unchanged, removed, gone }: typeof messages) => ({
        added,
        updated: updated + gone,
        unchanged,
        removed,
      })
      store
        .commit([
          events.importStarted({ ...meta, at: run.startedAt, importId, roots: [run.root] }),
          events.importFinished({
            ...meta,
            at: run.finishedAt,
            importId,
            conversations: counts(conversations),
            messages: counts(messages),
            problems: problems.length,
          }),
        ])
        .catch((error: unknown) => log(`recording an import failed: ${String(error)}`))
    },
    async close() {
      // Pages and devices leave first, so the trail records their departure before the store closes.
      wsServer.close()
      await stopPresence()
      // Before the store: the transfer commits the announcements of what it stored.
      await bodies?.close()
      await bridge.stop()
      await bridge.drain().catch((error: unknown) => log(`last bridge tick failed: ${String(error)}`))
      // Where the hub is the authority it is in this process: its eventlog (the SQL trail) takes the last events
      // now rather than at the next start. A relay confirms only what the Worker took; the rest waits in the store.
      if (!relay)
        await store
          .waitForBackend(HUB_TAKES_LAST_EVENTS_MS)
          .catch((error: unknown) => log(`closing: ${String(error)}; they reach it at the next start`))
      try {
        await store.shutdown()
      } finally {
        // Closed even when the store did not shut down cleanly: its socket to the worker would keep the process up.
        await relay?.close()
      }
    },
  }
}

/**
 * Registers this device the first time, and again when its name, version or signing key changed: the
 * registration carries the public key, so a library whose registration predates that records it on the next start.
 */
async function registerDevice(
  store: ChronicleStore,
  device: DeviceIdentity,
  kind: 'desktop' | 'web' | 'cli',
  signingKey: SigningKey,
) {
  const known = store.store.query(tables.devices.where({ id: device.id }).first())
  const version = appVersion()
  // The command line catching up the trail is the same device as the app it stands in for: it keeps its kind.
  const registeredKind = kind === 'cli' && known ? known.kind : kind
  if (
    known?.name === device.name &&
    known.appVersion === version &&
    known.kind === registeredKind &&
    known.keyFingerprint === signingKey.fingerprint
  )
    return
  await store.commit([
    events.deviceRegistered({
      at: Date.now(),
      deviceId: device.id,
      actor: 'chronicle',
      origin: 'ui',
      name: device.name,
      kind: registeredKind,
      platform: platform(),
      appVersion: version,
      signingKey: { publicKey: signingKey.publicKey, fingerprint: signingKey.fingerprint },
    }),
  ])
}

/**
 * Connections and disconnections of other clients become events: the audit trail of who synced when. Stopping
 * records every connection still known as ended (the hub is closing them; their sockets may report it only after
 * the store has closed), and resolves once those events are committed.
 */
function recordPresence(
  clients: ConnectedClients,
  store: ChronicleStore,
  deviceId: string,
  log: Log,
): () => Promise<void> {
  let known = new Map<number, { deviceId: string; clientId: string }>()
  let committing: Promise<void> = Promise.resolve()
  const record = (list: readonly ClientConnection[]) => {
    const now = new Map(
      list.map((c) => [c.connectionId, { deviceId: c.deviceId, clientId: c.clientId ?? '' }]),
    )
    const meta = { at: Date.now(), deviceId, actor: 'hub', origin: 'sync' as const }
    const changes = [
      ...[...now]
        .filter(([id]) => !known.has(id))
        .map(([, c]) =>
          events.deviceConnected({ ...meta, connectedDeviceId: c.deviceId, clientId: c.clientId }),
        ),
      ...[...known]
        .filter(([id]) => !now.has(id))
        .map(([, c]) =>
          events.deviceDisconnected({ ...meta, connectedDeviceId: c.deviceId, clientId: c.clientId }),
        ),
    ]
    known = now
    if (changes.length > 0)
      committing = store.commit(changes).catch((error: unknown) => log(`presence: ${String(error)}`))
  }
  const unsubscribe = clients.subscribe(record)
  return async () => {
    unsubscribe()
    record([])
    await committing
  }
}
