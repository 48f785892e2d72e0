/**
 * The browser side of the recovery in shared/livestore/torn-write.ts, run by the page's leader worker before
 * LiveStore opens its databases: it opens them itself, through the same OPFS pool LiveStore uses, reads the heads,
 * fixes what needs fixing and lets go of every file again.
 */
import { sqliteDbFactory } from '@livestore/sqlite-wasm/browser'
import { loadSqlite3Wasm } from '@livestore/sqlite-wasm/load-wasm'
import { Effect } from '@livestore/utils/effect'
import { Opfs } from '@livestore/utils/effect/browser'
import {
  describeRepair,
  HEAD_QUERIES,
  setBackendHeadSql,
  tornWriteRepair,
} from '../../../shared/livestore/torn-write'
import { schema } from '../../../shared/livestore/schema'

type Db = { select<T>(query: string): readonly T[]; execute(query: string): void; close(): void }

const headOf = (db: Db, query: string): number | null => {
  try {
    const row = db.select<Record<string, unknown>>(query)[0]
    const value = row === undefined ? undefined : Object.values(row)[0]
    return typeof value === 'number' ? value : null
  } catch {
    return null
  }
}

/**
 * Repairs the store in `folder` if a write was torn between its databases; resolves with what it did, or null. Never
 * rejects: a store it cannot open (another tab's leader still holds it) is left to LiveStore as it is.
 */
export const repairTornWriteInOpfs = (folder: string): Promise<string | null> =>
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
    const hasState = eventlog.metadata.vfs.getTrackedFilePaths().some((path) => path.endsWith(stateName))
    const state = hasState ? yield* open(stateName) : null
    const heads = {
      backend: headOf(eventlog, HEAD_QUERIES.backend),
      eventlog: headOf(eventlog, HEAD_QUERIES.eventlog) ?? 0,
      state: state ? headOf(state, HEAD_QUERIES.state) : null,
    }
    state?.close()
    const repair = tornWriteRepair(heads)
    if (!repair) return null
    if (repair.backendHead !== null) eventlog.execute(setBackendHeadSql(repair.backendHead))
    // An emptied state database is rebuilt by LiveStore from the eventlog.
    if (repair.rebuildState) state?.metadata.deleteDb()
    return describeRepair(heads, repair)
  }).pipe(
    Effect.scoped,
    Effect.provide(Opfs.Opfs.Default),
    Effect.catchAllCause((cause) =>
      Effect.logWarning('Could not check the store for a torn write', cause).pipe(Effect.as(null)),
    ),
    Effect.runPromise,
  )
