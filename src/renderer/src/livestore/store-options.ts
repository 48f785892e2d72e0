/**
 * The page's store: persisted in OPFS (per device, so two data directories served on one origin never share a
 * store) and synced with the hub by its leader worker. The same options object must be passed on every render.
 */
import { makePersistedAdapter } from '@livestore/adapter-web'
import LiveStoreSharedWorker from '@livestore/adapter-web/shared-worker?sharedworker'
import { storeOptions } from '@livestore/react'
import { unstable_batchedUpdates as batchUpdates } from 'react-dom'
import type { SessionInfo } from '../../../shared/api/contract'
import { schema } from '../../../shared/livestore/schema'
import LiveStoreWorker from './livestore.worker.ts?worker'
import { noteLeaderStarted } from './leader-lifetime'
import { leaderWorkerName, opfsFolder, stateRebuildChannel, storeRepairedChannel } from './leader-worker-name'
import { reportBootStatus, reportRepairProgress } from './boot-progress'
import { reloadPage } from './page-reload'
import { takeLibraryReplaced } from './replaced-library'
import { takeStoreRebuildRequest } from './store-rebuild'
import { pageSyncPayload } from './sync-payload'

/** The adapter's OPFS directory for this session's store. */
export const storeDirectory = (session: SessionInfo): string =>
  `livestore-${session.storeId}-${session.device.id}`

export function chronicleStoreOptions(session: SessionInfo) {
  const directory = storeDirectory(session)
  reloadWhenRepaired(directory)
  // Both are taken (and recorded) on every load, so neither call may be skipped by the other's answer.
  const [asked, replaced] = [
    takeStoreRebuildRequest(directory),
    takeLibraryReplaced(directory, session.hub?.backendId),
  ]
  const rebuild = asked || replaced
  const adapter = makePersistedAdapter({
    storage: { type: 'opfs', directory },
    // The worker's name tells it the store's folder, which it checks before LiveStore opens it, and whether the
    // person asked for the store to be rebuilt. It is unique to the worker, since the worker's lifetime lock is
    // named after it (leader-lifetime.ts), and LiveStore's own name repeats across loads and in a duplicated tab.
    worker: ({ name }) => {
      const workerName = leaderWorkerName(`${name}-${crypto.randomUUID()}`, directory, rebuild)
      noteLeaderStarted(workerName)
      return new LiveStoreWorker({ name: workerName })
    },
    sharedWorker: LiveStoreSharedWorker,
    // A rebuild is asked for because the copy is damaged, so the page must not read it: LiveStore's fast path
    // reads the state database straight from OPFS, and a half-written file there (a leader killed by the reload)
    // failed the boot with "Offset is outside the bounds of the DataView" or a missing table, in about one rebuild
    // in four on a loaded machine (e2e/recovery.spec.ts). The page waits for the leader's snapshot instead.
    ...(rebuild && { experimental: { disableFastPath: true } }),
  })
  return storeOptions({
    schema,
    adapter,
    storeId: session.storeId,
    batchUpdates,
    onBootStatus: reportBootStatus,
    ...(session.hub && { syncPayload: { ...pageSyncPayload(session, session.hub) } }),
  })
}

export type ChronicleStoreOptions = ReturnType<typeof chronicleStoreOptions>

/**
 * Loads the page again if the leader repaired the store (leader-worker-name.ts): the page booted from the state as
 * it was, which the repaired leader no longer matches. Listening starts before the leader exists.
 */
function reloadWhenRepaired(directory: string): void {
  new BroadcastChannel(storeRepairedChannel(opfsFolder(directory))).onmessage = () => void reloadPage()
  // Meanwhile, the leader's rebuild of a damaged state says how far it is, as LiveStore's own would.
  new BroadcastChannel(stateRebuildChannel(opfsFolder(directory))).onmessage = (
    event: MessageEvent<unknown>,
  ) => {
    const progress = event.data as { done?: unknown; total?: unknown } | null
    if (typeof progress?.done === 'number' && typeof progress.total === 'number')
      reportRepairProgress(progress.done, progress.total)
  }
}
