/**
 * The browser side of shared/livestore/store-repair.ts, run by the page's leader worker before LiveStore opens its
 * databases: it opens them itself, through the same OPFS pool LiveStore uses, reads the heads, mends what needs
 * mending and lets go of every file again. It also deletes the journals that earlier schemas' state databases left
 * in the pool (leader-journal-mode.ts).
 */
import { sqliteDbFactory } from '@livestore/sqlite-wasm/browser'
import { loadSqlite3Wasm } from '@livestore/sqlite-wasm/load-wasm'
import { Cause, Effect } from '@livestore/utils/effect'
import { Opfs } from '@livestore/utils/effect/browser'
import { schema } from '../../../shared/livestore/schema'
import {
  planStoreRepair,
  readHead,
  REBUILD_ON_REQUEST,
  undoOrRebuildState,
} from '../../../shared/livestore/store-repair'
import { HEAD_QUERIES, setBackendHeadSql } from '../../../shared/livestore/torn-write'
import { rebuildStateInOneTransaction, type RebuildProgress } from '../../../shared/livestore/rebuild-state'
import { staleStateJournals, type LeaderDatabase } from './leader-journal-mode'

const headIn = (db: LeaderDatabase, query: string) =>
  readHead(() => {
    const row = db.select<Record<string, unknown>>(query)[0]
    return row === undefined ? undefined : Object.values(row)[0]
  })

/**
 * Mends the store in `folder` if its files are torn or unreadable, or empties it when `rebuild` (the person asked);
 * resolves with what it did, or null. A state it rebuilds reports its progress to `onRebuildProgress`. Never rejects: a store it cannot open (another tab's leader still holds it)
 * is left to LiveStore as it is.
 */
export const repairStoreInOpfs = (
  folder: string,
  rebuild: boolean,
  onRebuildProgress?: RebuildProgress,
): Promise<string | null> =>
  Effect.gen(function* () {
    const makeSqliteDb = sqliteDbFactory({ sqlite3: yield* Effect.promise(() => loadSqlite3Wasm()) })
    const open = (fileName: string) => makeSqliteDb({ _tag: 'opfs', opfsDirectory: folder, fileName })
    // Released however this ends: the database, then every file of the pool, so LiveStore's pool can take them.
    const eventlog = yield* Effect.acquireRelease(open('eventlog.db'), (db) =>
      Effect.sync(() => {
        db.close()
        db.metadata.vfs.close()
      }),
    )
    const stateName = `state${schema.state.sqlite.hash}.db`
    const pool = eventlog.metadata.vfs
    for (const journal of staleStateJournals(pool.getTrackedFilePaths(), stateName)) pool.jDelete(journal, 0)
    const hasState = pool.getTrackedFilePaths().some((path) => path.endsWith(stateName))
    const state = hasState ? yield* open(stateName) : null
    const planned = rebuild
      ? REBUILD_ON_REQUEST
      : planStoreRepair({
          backend: headIn(eventlog, HEAD_QUERIES.backend),
          eventlog: headIn(eventlog, HEAD_QUERIES.eventlog),
          state: state ? headIn(state, HEAD_QUERIES.state) : null,
        })
    const repair = planned && undoOrRebuildState(state, planned)
    state?.close()
    if (!repair) return null
    if (repair.backendHead !== null) eventlog.execute(setBackendHeadSql(repair.backendHead))
    // An emptied eventlog: LiveStore makes a new one, pulls it from the hub and builds the state as it goes.
    if (repair.resetEventlog) eventlog.metadata.deleteDb()
    if (repair.rebuildState) state?.metadata.deleteDb()
    // A whole eventlog: the state is rebuilt from it here, far faster than LiveStore would (rebuild-state.ts).
    if (repair.rebuildState && !repair.resetEventlog) {
      const fresh = yield* open(stateName)
      const failure = yield* rebuildStateInOneTransaction(fresh, eventlog, onRebuildProgress).pipe(
        Effect.as(null),
        // Left to LiveStore, which rebuilds a missing state itself, slowly.
        Effect.catchAllCause((cause) => Effect.sync(() => (fresh.metadata.deleteDb(), Cause.pretty(cause)))),
        Effect.ensuring(Effect.sync(() => fresh.close())),
      )
      if (failure !== null) return `${repair.description} (by LiveStore: here it failed: ${failure})`
    }
    return repair.description
  }).pipe(
    Effect.scoped,
    Effect.provide(Opfs.Opfs.Default),
    // Said on the console as a warning, as a repair is: Effect's logger would print it as a plain log line.
    Effect.catchAllCause((cause) =>
      Effect.sync(() => {
        console.warn(`Chronicle: could not check the store before opening it: ${Cause.pretty(cause)}`)
        return null
      }),
    ),
    Effect.runPromise,
  )
