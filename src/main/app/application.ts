/**
 * The application as every host runs it, started and closed in one order: the Electron entry and `chronicle serve`
 * differ only in how pages reach it (a window over IPC and a sync endpoint, or the web host), which they pass in
 * as `listen`.
 *
 * Start: repository → data directory lock (one store per library, data-dir-lock.ts) → sync runtime (hub, main
 * store, bridge, and the relay when sync.json names a remote) → its status file (for `sync status`) → import sources →
 * listener → hub address.
 * Close, in reverse: local programs stop finding the hub; pages and devices disconnect (their departure is still
 * recorded); running imports finish and watching stops; the bridge drains what they wrote and LiveStore's leader
 * persists every event (quitting earlier loses them); the repository closes last. A start that fails part-way
 * closes what it had started, in the same order.
 */
import type { ApiDispatcher } from '../api/handlers'
import { appDispatcher } from '../api/app-dispatcher'
import { startImportSources, type ImportSources, type ImportSourcesOptions } from '../import/import-sources'
import { lockDataDir } from '../data-dir-lock'
import type { Log } from '../logger'
import type { Repository } from '../repository/repository'
import { writeHubAddress } from '../sync/hub-address'
import { publishRelayStatus } from '../relay/relay-status-file'
import { refusedEvents } from '../relay/refused-events'
import { relayHeads } from '../relay/remote-connection'
import { startSyncRuntime, type SyncRuntime } from '../sync/sync-runtime'
import { syncRemoteOrNone } from '../sync/sync-settings'

/** What a host needs to serve pages: the parts, and the API the pages call. */
export interface ApplicationCore {
  readonly dataDir: string
  readonly repository: Repository
  readonly sync: SyncRuntime
  readonly sources: ImportSources
  readonly dispatch: ApiDispatcher
}

/** How pages and local programs reach the application: its hub's WebSocket address, and how to stop listening. */
export interface Listener {
  readonly syncUrl: string
  close(): Promise<void>
}

export interface ApplicationOptions<L extends Listener> {
  readonly dataDir: string
  readonly log: Log
  readonly kind: 'desktop' | 'web'
  /** Opens the repository; its errors (a locked or newer database) reach the caller before anything else starts. */
  readonly openRepository: () => Repository
  /** Import live from the assistants' folders (default true; `chronicle serve --no-watch`: false). */
  readonly watch?: boolean
  /** Tests name their own source locations instead of this machine's. */
  readonly discover?: ImportSourcesOptions['discover']
  /** The desktop app's folder dialog for new sources. */
  readonly pickFolder?: () => Promise<string | null>
  /** Starts listening once the parts run; the API answers pages only from then on. */
  readonly listen: (core: ApplicationCore) => Promise<L>
}

export interface Application<L extends Listener> extends ApplicationCore {
  readonly listener: L
  /** Closes everything in the order above; a step that fails is logged and the next ones still run. */
  close(): Promise<void>
}

/** The parts in start order; closing walks it backwards. */
export const PARTS = [
  'repository',
  'lock',
  'sync',
  'sync status file',
  'sources',
  'listener',
  'hub address',
] as const
type Part = (typeof PARTS)[number]

export async function startApplication<L extends Listener>(
  options: ApplicationOptions<L>,
): Promise<Application<L>> {
  const { dataDir, log } = options
  const started: { part: Part; close: () => unknown }[] = []
  let closing: Promise<void> | null = null
  const close = () => {
    closing ??= (async () => {
      for (const { part, close: closePart } of started.reverse()) {
        try {
          await closePart()
          log(`shutdown: ${part} closed`)
        } catch (error) {
          log(`shutdown: closing ${part} failed: ${String(error)}`)
        }
      }
    })()
    return closing
  }

  try {
    const repository = options.openRepository()
    started.push({ part: 'repository', close: () => repository.close() })
    const unlock = lockDataDir(dataDir, options.kind === 'desktop' ? 'the Chronicle app' : 'chronicle serve')
    started.push({ part: 'lock', close: unlock })
    const relay = syncRemoteOrNone(dataDir, log)
    const sync = await startSyncRuntime({ dataDir, repository, kind: options.kind, log, relay })
    started.push({ part: 'sync', close: () => sync.close() })
    // What the relay knows, for `chronicle sync status` in another process (relay-status-file.ts).
    const running = sync.relay
    const forgetStatus = running
      ? publishRelayStatus({
          dataDir,
          log,
          subscribe: (listener) => running.subscribe(listener),
          figures: async () => {
            const waiting = (await sync.store.unconfirmed()) + (await sync.repositoryBacklog())
            return { ...relayHeads(running), waiting, refused: await refusedEvents(repository.db) }
          },
        })
      : () => undefined
    started.push({ part: 'sync status file', close: forgetStatus })
    const sources = startImportSources({
      repository,
      dataDir,
      log,
      record: (run) => sync.recordImport(run),
      watch: options.watch ?? true,
      ...(options.discover && { discover: options.discover }),
    })
    started.push({ part: 'sources', close: () => sources.close() })
    let listener: L | null = null
    const dispatch = appDispatcher({
      repository,
      log,
      dataDir,
      sync,
      sources,
      hubAccess: () =>
        listener === null
          ? null
          : { url: listener.syncUrl, token: sync.credentials.pageCredential, backendId: sync.hub.backendId },
      ...(options.pickFolder && { pickFolder: options.pickFolder }),
    })
    const listening = await options.listen({ dataDir, repository, sync, sources, dispatch })
    listener = listening
    started.push({
      part: 'listener',
      close: () => {
        // A server stops only when its connections end, and upgraded hub sockets are not its to end: drop them.
        const closed = listening.close()
        sync.wsServer.dropAll()
        return closed
      },
    })
    // Local programs (the simulator, a second window) find the hub here, with the credential of this machine's devices.
    const forgetHub = writeHubAddress(dataDir, {
      url: listening.syncUrl,
      token: sync.credentials.deviceCredential,
      pid: process.pid,
    })
    started.push({ part: 'hub address', close: forgetHub })
    return { dataDir, repository, sync, sources, dispatch, listener: listening, close }
  } catch (error) {
    await close()
    throw error
  }
}
