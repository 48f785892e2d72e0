/**
 * The Node side of shared/livestore/store-repair.ts: LiveStore's files here are plain SQLite databases, read and
 * mended with better-sqlite3 before LiveStore opens them. Undoing events in the state takes SQLite's session
 * extension, which better-sqlite3 is built without, so that one step opens the state with LiveStore's own SQLite.
 */
import BetterSqlite3 from 'better-sqlite3'
import { existsSync, rmSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { liveStoreStorageFormatVersion } from '@livestore/common'
import { loadSqlite3Wasm } from '@livestore/sqlite-wasm/load-wasm'
import { sqliteDbFactory } from '@livestore/sqlite-wasm/node'
import { Cause, Effect } from '@livestore/utils/effect'
import { PlatformNode } from '@livestore/utils/node'
import { rebuildStateInOneTransaction } from '../../shared/livestore/rebuild-state'
import { schema } from '../../shared/livestore/schema'
import {
  planStoreRepair,
  readHead,
  undoOrRebuildState,
  type HeadReading,
  type StoreRepair,
} from '../../shared/livestore/store-repair'
import { HEAD_QUERIES, setBackendHeadSql } from '../../shared/livestore/torn-write'

/** The state database LiveStore's Node adapter opens for this schema (older schemas' files are not read). */
export const stateDbFile = (storeDir: string): string =>
  join(storeDir, `state${schema.state.sqlite.hash}@${liveStoreStorageFormatVersion}.db`)

const eventlogDbFile = (storeDir: string): string =>
  join(storeDir, `eventlog@${liveStoreStorageFormatVersion}.db`)

const headIn = (db: BetterSqlite3.Database, query: string): HeadReading =>
  readHead(() => db.prepare(query).pluck().get())

const removeDatabase = (file: string) => {
  for (const path of [file, `${file}-journal`, `${file}-wal`, `${file}-shm`]) rmSync(path, { force: true })
}

/** Opens a database file with LiveStore's own SQLite build (it has the session extension). */
export const openWithLiveStore = (file: string) =>
  Effect.gen(function* () {
    const makeSqliteDb = yield* sqliteDbFactory({ sqlite3: yield* Effect.promise(() => loadSqlite3Wasm()) })
    return yield* makeSqliteDb({ _tag: 'fs', directory: dirname(file), fileName: basename(file) })
  })

/** Undoes the state's events the plan names, in LiveStore's own SQLite build; returns the plan that remains. */
const undoInStateFile = (stateFile: string, repair: StoreRepair): Promise<StoreRepair> =>
  Effect.gen(function* () {
    const state = yield* openWithLiveStore(stateFile)
    try {
      return undoOrRebuildState(state, repair)
    } finally {
      state.close()
    }
  }).pipe(
    Effect.provide(PlatformNode.NodeFileSystem.layer),
    // A state file this build cannot even open is rebuilt, as one whose undo failed.
    Effect.catchAllCause(() => Effect.succeed(undoOrRebuildState(null, repair))),
    Effect.runPromise,
  )

/** Mends the store in `storeDir` if its files are torn or unreadable (store-repair.ts); says what it did, or null. */
export async function repairStoreFiles(storeDir: string): Promise<string | null> {
  const eventlogFile = eventlogDbFile(storeDir)
  if (!existsSync(eventlogFile)) return null
  const stateFile = stateDbFile(storeDir)
  const eventlog = new BetterSqlite3(eventlogFile)
  let repair: StoreRepair | null
  try {
    const state = existsSync(stateFile) ? new BetterSqlite3(stateFile, { readonly: true }) : null
    try {
      repair = planStoreRepair({
        backend: headIn(eventlog, HEAD_QUERIES.backend),
        eventlog: headIn(eventlog, HEAD_QUERIES.eventlog),
        state: state ? headIn(state, HEAD_QUERIES.state) : null,
      })
    } finally {
      state?.close()
    }
    if (repair?.backendHead != null) eventlog.exec(setBackendHeadSql(repair.backendHead))
  } finally {
    eventlog.close()
  }
  if (!repair) return null
  if (repair.undoStateAbove !== null) repair = await undoInStateFile(stateFile, repair)
  if (repair.resetEventlog) removeDatabase(eventlogFile)
  if (repair.rebuildState) removeDatabase(stateFile)
  // A whole eventlog: the state is rebuilt from it here, far faster than LiveStore would (rebuild-state.ts).
  if (repair.rebuildState && !repair.resetEventlog) {
    const failure = await rebuildStateFile(stateFile, eventlogFile)
    if (failure !== null) return `${repair.description} (by LiveStore: here it failed: ${failure})`
  }
  return repair.description
}

/** Rebuilds the state file from the eventlog file; says why not, leaving no state file for LiveStore to rebuild. */
const rebuildStateFile = (stateFile: string, eventlogFile: string): Promise<string | null> =>
  Effect.gen(function* () {
    const eventlog = yield* openWithLiveStore(eventlogFile)
    const state = yield* openWithLiveStore(stateFile)
    yield* rebuildStateInOneTransaction(state, eventlog).pipe(
      Effect.ensuring(Effect.sync(() => (state.close(), eventlog.close()))),
    )
    return null
  }).pipe(
    Effect.provide(PlatformNode.NodeFileSystem.layer),
    Effect.catchAllCause((cause) => Effect.sync(() => (removeDatabase(stateFile), Cause.pretty(cause)))),
    Effect.runPromise,
  )
