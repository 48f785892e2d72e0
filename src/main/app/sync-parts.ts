/**
 * The parts of the application that follow the data directory's sync settings, opened as one group: the sync
 * runtime (hub, main store, bridge and, when sync.json names a remote, the relay), the status file `chronicle sync
 * status` reads, the import sources, and the API over them. The application opens the group at start, and again,
 * with the same hub credentials, when the user sets up, joins or leaves a library while it runs (application.ts).
 */
import type { ApiDispatcher } from '../api/handlers'
import { appDispatcher } from '../api/app-dispatcher'
import type { MembershipServices } from '../api/membership-handlers'
import type { HubCredentials } from '../hub/hub-credentials'
import { startImportSources, type ImportSources, type ImportSourcesOptions } from '../import/import-sources'
import type { Log } from '../logger'
import type { Repository } from '../repository/repository'
import { refusedEvents } from '../relay/refused-events'
import { publishRelayStatus } from '../relay/relay-status-file'
import { relayHeads } from '../relay/remote-connection'
import { startSyncRuntime, type SyncRuntime } from '../sync/sync-runtime'
import { syncRemoteOrNone } from '../sync/sync-settings'

/** The group's parts in start order (the application's close walks them backwards). */
export const SYNC_PARTS = ['sync', 'sync status file', 'sources'] as const
export type SyncPart = (typeof SYNC_PARTS)[number]

export interface SyncParts {
  readonly sync: SyncRuntime
  readonly sources: ImportSources
  readonly dispatch: ApiDispatcher
}

export interface SyncPartsOptions {
  readonly dataDir: string
  readonly log: Log
  readonly kind: 'desktop' | 'web'
  readonly repository: Repository
  readonly watch: boolean
  readonly discover?: ImportSourcesOptions['discover']
  readonly pickFolder?: () => Promise<string | null>
  /** Where pages reach the hub: null until the application listens. */
  readonly hubUrl: () => string | null
  /** Kept across a re-open, so the pages and local programs that held them get back in. */
  readonly credentials?: HubCredentials
  /** Setting up, joining and leaving a library from Settings. */
  readonly membership?: MembershipServices
}

/**
 * Opens the group; `started` is told of each part as it starts, so a failure part-way leaves the caller able to
 * close what did.
 */
export async function openSyncParts(
  options: SyncPartsOptions,
  started: (part: SyncPart, close: () => unknown) => void,
): Promise<SyncParts> {
  const { dataDir, log, repository } = options
  const relay = syncRemoteOrNone(dataDir, log)
  const sync = await startSyncRuntime({
    dataDir,
    repository,
    kind: options.kind,
    log,
    relay,
    ...(options.credentials && { credentials: options.credentials }),
  })
  started('sync', () => sync.close())
  // What the relay knows, for `chronicle sync status` in another process (relay-status-file.ts).
  const running = sync.relay
  const forgetStatus = running
    ? publishRelayStatus({
        dataDir,
        log,
        subscribe: (listener) => running.subscribe(listener),
        figures: async () => {
          const waiting = (await sync.store.unconfirmed()) + (await sync.repositoryBacklog())
          return {
            ...relayHeads(running),
            waiting,
            refused: await refusedEvents(repository.db),
            bodies: (await sync.bodies?.status()) ?? null,
          }
        },
      })
    : () => undefined
  started('sync status file', forgetStatus)
  const sources = startImportSources({
    repository,
    dataDir,
    log,
    record: (run) => sync.recordImport(run),
    watch: options.watch,
    ...(options.discover && { discover: options.discover }),
  })
  started('sources', () => sources.close())
  const dispatch = appDispatcher({
    repository,
    log,
    dataDir,
    sync,
    sources,
    hubAccess: () => {
      const url = options.hubUrl()
      return url === null
        ? null
        : { url, token: sync.credentials.pageCredential, backendId: sync.hub.backendId }
    },
    ...(options.pickFolder && { pickFolder: options.pickFolder }),
    ...(options.membership && { membership: options.membership }),
  })
  return { sync, sources, dispatch }
}
