/**
 * The API as the app runs it (the Electron window and `chronicle serve` alike): the repository, the sync
 * runtime, audit exports, and the settings with the sources being imported.
 */
import { homedir } from 'node:os'
import type { RemoteSyncStatus, SessionInfo } from '../../shared/api/contract'
import { exportJobs } from '../audit/export-jobs'
import { imageStore } from '../images/image-store'
import type { ImportSources } from '../import/import-sources'
import type { Log } from '../logger'
import type { Relay } from '../relay/relay'
import { refusedEvents } from '../relay/refused-events'
import { relayHeads } from '../relay/remote-connection'
import type { Repository } from '../repository/repository'
import type { SyncRuntime } from '../sync/sync-runtime'
import { priceServices } from '../usage/price-services'
import { makeDispatcher, type ApiDispatcher } from './handlers'
import type { MembershipServices } from './membership-handlers'

/** The relay's status as the page reads it, with the library's machines and the events it refused. */
async function remoteStatus(
  relay: Relay,
  sync: SyncRuntime,
  db: Repository['db'],
): Promise<RemoteSyncStatus> {
  return {
    ...relay.target,
    ...relayHeads(relay),
    machines: sync.machines?.current() ?? null,
    refused: await refusedEvents(db),
    bodies: (await sync.bodies?.status()) ?? NO_BODIES,
  }
}

const NO_BODIES = { toFetch: 0, toStore: 0, imagesToFetch: 0, problem: null }

export function appDispatcher(options: {
  readonly repository: Repository
  readonly log: Log
  readonly dataDir: string
  readonly sync: SyncRuntime
  readonly sources: ImportSources
  /** Where pages reach the hub, once it listens. */
  readonly hubAccess: () => SessionInfo['hub']
  /** The desktop app's folder dialog for new sources; without one, typed paths in `sourceRoots` are taken. */
  readonly pickFolder?: () => Promise<string | null>
  /** Where typed source paths may lie: the user's home folder unless given. */
  readonly sourceRoots?: readonly string[]
  /** Setting up, joining and leaving a library from Settings (app/sync-membership.ts). */
  readonly membership?: MembershipServices
}): ApiDispatcher {
  const { repository, log, dataDir, sync, sources } = options
  return makeDispatcher(repository, log, {
    sync: {
      // Read on each call: the device's name changes when the user renames it.
      get device() {
        return sync.device
      },
      hub: sync.hub,
      clients: sync.clients,
      repositoryBacklog: () => sync.repositoryBacklog(),
      hubAccess: options.hubAccess,
      unconfirmed: () => sync.store.unconfirmed(),
      remote: async () => (sync.relay ? await remoteStatus(sync.relay, sync, repository.db) : null),
      bodies: sync.bodies,
      retryRemote: () => {
        sync.relay?.reconnect()
        return sync.relay !== null
      },
    },
    exports: exportJobs(repository, {
      dataDir,
      get device() {
        return sync.device
      },
    }),
    images: imageStore(dataDir),
    ...(options.membership && { membership: options.membership }),
    settings: {
      dataDir,
      sources,
      device: () => sync.device,
      renameDevice: (name) => sync.renameDevice(name),
      ...(options.pickFolder && { pickFolder: options.pickFolder }),
      sourceRoots: options.sourceRoots ?? [homedir()],
      prices: priceServices({
        dataDir,
        repository,
        deviceId: () => sync.device.id,
        commit: (event) => sync.store.commit([event]),
      }),
    },
  })
}
