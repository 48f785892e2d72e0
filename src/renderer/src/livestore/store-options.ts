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
import { pageSyncPayload } from './sync-payload'

export function chronicleStoreOptions(session: SessionInfo) {
  const adapter = makePersistedAdapter({
    storage: { type: 'opfs', directory: `livestore-${session.storeId}-${session.device.id}` },
    worker: LiveStoreWorker,
    sharedWorker: LiveStoreSharedWorker,
  })
  return storeOptions({
    schema,
    adapter,
    storeId: session.storeId,
    batchUpdates,
    ...(session.hub && { syncPayload: { ...pageSyncPayload(session, session.hub) } }),
  })
}

export type ChronicleStoreOptions = ReturnType<typeof chronicleStoreOptions>
