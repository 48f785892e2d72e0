/**
 * A LiveStore client in a Node process (the main process, a simulated device, a test), with the settings the
 * audit trail depends on:
 * - file storage in the data directory and an explicit clientId (the default, the hostname, is the same for
 *   every process on a machine);
 * - `onBackendIdMismatch: 'shutdown'`: a replaced backend stops the store instead of wiping its data (the
 *   default, 'reset', deletes the local eventlog);
 * - commits go through a gate: at most 100 events per commit and one commit in flight to the leader, because
 *   LiveStore 0.4.0 can wedge a leader's pull for good when several batches queue up during a rebase;
 * - shutdown waits until the leader has taken every committed event (shutting down earlier loses them);
 * - the reactive graph keeps no history of its refreshes, which only LiveStore's devtools read and which holds
 *   the events of the last 200 commits;
 * - the sync states LiveStore queues for sync status subscribers are taken as they come (drainSyncStateQueue);
 * - a burst of commits (a large import made into events) ends with one full garbage collection
 *   (collect-after-bursts.ts).
 */
import { makeAdapter } from '@livestore/adapter-node'
import type { SyncBackend } from '@livestore/common'
import {
  createStorePromise,
  makeShutdownDeferred,
  Schema,
  StoreInternalsSymbol,
  type Store,
} from '@livestore/livestore'
import { Deferred, Effect, Exit, LogLevel } from '@livestore/utils/effect'
import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { MAX_EVENTS_PER_COMMIT } from '../../shared/livestore/commit-size'
import { schema, STORE_ID, tables } from '../../shared/livestore/schema'
import { seenHead } from '../../shared/livestore/seen-head'
import { silentOtel } from '../../shared/livestore/silent-tracer'
import type { BridgeEvent } from '../bridge/events-from-changes'
import { burstCollector, type BurstCollectorOptions } from './collect-after-bursts'
import { repairStoreFiles } from './repair-store-files'
import { removeStaleStateFiles } from './stale-state-files'
import { ensureWebSocketGlobal } from './websocket-global'

export type ChronicleLiveStore = Store<typeof schema>

export { STORE_ID, MAX_EVENTS_PER_COMMIT }

export interface ChronicleStoreOptions<TSyncMetadata> {
  readonly dataDir: string
  readonly clientId: string
  /** Sync: the hub in this process (in-process-sync.ts) or LiveStore's WebSocket client. */
  readonly backend: SyncBackend.SyncBackendConstructor<TSyncMetadata>
  readonly syncPayload?: Record<string, string>
  /** Folder under the data directory (one per client, so device clients never share files). */
  readonly folder?: string
  /** Where to say what the store mended (repair-store-files.ts) and collected (collect-after-bursts.ts). */
  readonly log?: (line: string) => void
  /** When to collect garbage after a burst of commits (collect-after-bursts.ts); tests name their own. */
  readonly collectAfterBursts?: BurstCollectorOptions
}

export interface ChronicleStore {
  readonly store: ChronicleLiveStore
  /** Commits through the gate; resolves when the leader has the events (durable on disk). */
  commit(events: readonly BridgeEvent[]): Promise<void>
  /** Resolves when the leader has no events the backend has not confirmed. */
  waitForBackend(timeoutMs?: number): Promise<void>
  /** Events committed here the backend has not confirmed: on their way to the leader, or waiting in it. */
  unconfirmed(): Promise<number>
  /** The newest backend-confirmed event this store has applied: what an edit made now has seen (seen-head.ts). */
  seen(): Promise<number>
  /** Resolves if the store stops by itself (backend replaced, sync failure), with the reason. */
  readonly stopped: Promise<string>
  shutdown(): Promise<void>
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Opens the store, and mends what LiveStore 0.4.0 does not recover from (repair-store-files.ts): a write torn
 * between its state and eventlog databases (an interrupted pull or commit), a database that cannot be read, and a
 * process killed while LiveStore creates its state database the first time, which leaves that file without tables
 * unnoticed. A state ahead of its eventlog has those events undone; otherwise the state, derived from the
 * eventlog, is removed and rebuilt. An eventlog is removed only when it cannot be read, and is then pulled again
 * from the hub. Once open, the state files of earlier schemas are removed (stale-state-files.ts).
 */
export async function openChronicleStore<TSyncMetadata>(
  options: ChronicleStoreOptions<TSyncMetadata>,
): Promise<ChronicleStore> {
  const storeDir = join(options.dataDir, options.folder ?? 'livestore', STORE_ID)
  const repaired = await repairStoreFiles(storeDir)
  if (repaired) options.log?.(repaired)
  let opened = await openStoreOnce(options)
  if (!hasEveryTable(opened.store)) {
    await opened.shutdown()
    for (const name of readdirSync(storeDir))
      if (/^state.*\.db/.test(name)) rmSync(join(storeDir, name), { force: true })
    opened = await openStoreOnce(options)
  }
  // Only now: the store runs on the current schema's state file, so the older ones are no longer the only copy.
  const removed = removeStaleStateFiles(storeDir)
  if (removed) options.log?.(removed)
  return opened
}

/**
 * LiveStore's reactive graph keeps its last 200 refreshes for the devtools (which these stores never open), each
 * holding the events that caused it: after a large import, 200 commits of up to 10 events of 500 messages each.
 */
function keepNoRefreshHistory(store: ChronicleLiveStore): void {
  store[StoreInternalsSymbol].reactivityGraph.debugRefreshInfos.sizeLimit = 0
}

/**
 * LiveStore 0.4.0's client session puts every sync state it reaches into an unbounded queue ("only used for
 * debugging", ClientSessionSyncProcessor.ts) that only a sync status subscriber takes from. With none, every state
 * stayed for the life of the process, each with the events pending then: 816 states and 2,243 events after the
 * bridge bench's 100,000-message import and 200 inserts, one more state per sync change. A subscriber that does
 * nothing keeps the queue empty.
 */
function drainSyncStateQueue(store: ChronicleLiveStore): () => void {
  return store.subscribeSyncStatus(() => undefined)
}

function hasEveryTable(store: ChronicleLiveStore): boolean {
  const rows = store.query({
    query: `SELECT name FROM sqlite_master WHERE type = 'table'`,
    bindValues: {},
    schema: Schema.Array(Schema.Struct({ name: Schema.String })),
  })
  const present = new Set(rows.map((row) => row.name))
  return Object.values(tables).every((table) => present.has(table.sqliteDef.name))
}

async function openStoreOnce<TSyncMetadata>(
  options: ChronicleStoreOptions<TSyncMetadata>,
): Promise<ChronicleStore> {
  ensureWebSocketGlobal()
  const shutdownDeferred = Effect.runSync(makeShutdownDeferred)
  const storageDir = join(options.dataDir, options.folder ?? 'livestore')
  const adapter = makeAdapter({
    storage: { type: 'fs', baseDirectory: storageDir },
    clientId: options.clientId,
    sessionId: 'main',
    sync: {
      // The adapter keeps each backend's metadata opaque; only the backend reads it back.
      backend: options.backend as unknown as SyncBackend.SyncBackendConstructor,
      onBackendIdMismatch: 'shutdown',
      onSyncError: 'ignore',
      initialSyncOptions: { _tag: 'Blocking', timeout: 5_000 },
      livePull: true,
    },
  })
  const stopped = Deferred.await(shutdownDeferred).pipe(
    Effect.exit,
    Effect.map((exit) =>
      Exit.isSuccess(exit) ? exit.value.reason : `stopped: ${String(Exit.isFailure(exit) ? exit.cause : '')}`,
    ),
    Effect.runPromise,
  )

  let hasStopped = false
  void stopped.then(() => (hasStopped = true))
  let store: ChronicleLiveStore
  try {
    store = await createStorePromise({
      schema,
      adapter,
      storeId: STORE_ID,
      shutdownDeferred,
      disableDevtools: true,
      otelOptions: silentOtel(),
      logLevel: LogLevel.Warning,
      syncPayload: options.syncPayload ?? {},
    })
  } catch (error) {
    // A backend that is not the one this client synced with stops the store while it boots; say that, not the
    // internal error the interrupted boot ends with.
    const reason = hasStopped ? await stopped : ''
    if (/BackendIdMismatch/.test(reason))
      throw new Error(
        `the sync hub is not the one this client synced with before (it was reset or replaced); ` +
          `the client's data is kept in ${storageDir}: move it away to start this client afresh`,
        { cause: error },
      )
    throw error
  }

  keepNoRefreshHistory(store)
  const stopDraining = drainSyncStateQueue(store)

  const leaderHasEverything = async (timeoutMs: number) => {
    const started = Date.now()
    while (store.syncStatus().pendingCount > 0) {
      if (Date.now() - started > timeoutMs) {
        // What the session holds, for whoever reads the log: this has been seen once under load, not understood.
        const { pendingCount, localHead, upstreamHead } = store.syncStatus()
        throw new Error(
          `LiveStore's leader did not take the committed events within ${timeoutMs} ms ` +
            `(pending ${pendingCount}, local head ${localHead}, upstream head ${upstreamHead})`,
        )
      }
      await sleep(5)
    }
  }
  const collector = burstCollector({
    ...(options.log && { log: options.log }),
    ...options.collectAfterBursts,
  })
  let gate: Promise<unknown> = Promise.resolve()
  const commitBatch = async (batch: readonly BridgeEvent[]) => {
    store.commit(...batch)
    await leaderHasEverything(120_000)
    collector.committed(batch.length)
  }

  return {
    store,
    stopped,
    commit(events) {
      const run = async () => {
        for (let i = 0; i < events.length; i += MAX_EVENTS_PER_COMMIT)
          await commitBatch(events.slice(i, i + MAX_EVENTS_PER_COMMIT))
      }
      const result = gate.then(run, run)
      gate = result.catch(() => undefined)
      return result
    },
    async waitForBackend(timeoutMs = 60_000) {
      if (hasStopped) return
      await leaderHasEverything(timeoutMs)
      const started = Date.now()
      const leader = store[StoreInternalsSymbol].clientSession.leaderThread
      while ((await Effect.runPromise(leader.syncState.get)).pending.length > 0) {
        if (Date.now() - started > timeoutMs)
          throw new Error(`the hub did not confirm within ${timeoutMs} ms`)
        await sleep(5)
      }
    },
    async unconfirmed() {
      if (hasStopped) return 0
      const leader = store[StoreInternalsSymbol].clientSession.leaderThread
      const inLeader = (await Effect.runPromise(leader.syncState.get)).pending.length
      return store.syncStatus().pendingCount + inLeader
    },
    async seen() {
      if (hasStopped) return 0
      const leader = store[StoreInternalsSymbol].clientSession.leaderThread
      const { upstreamHead } = await Effect.runPromise(leader.syncState.get)
      return seenHead(store.syncStatus().upstreamHead, upstreamHead.global)
    },
    async shutdown() {
      // A store that stopped by itself (a replaced backend) has closed its files already.
      if (hasStopped) return
      await gate
      await leaderHasEverything(120_000)
      stopDraining()
      collector.dispose()
      await store.shutdownPromise()
    },
  }
}
