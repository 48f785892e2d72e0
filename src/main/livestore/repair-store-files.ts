/**
 * The Node side of shared/livestore/store-repair.ts: LiveStore's files here are plain SQLite databases, read and
 * mended with better-sqlite3 before LiveStore opens them.
 */
import BetterSqlite3 from 'better-sqlite3'
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { liveStoreStorageFormatVersion } from '@livestore/common'
import { schema } from '../../shared/livestore/schema'
import { planStoreRepair, readHead, type HeadReading } from '../../shared/livestore/store-repair'
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

/** Mends the store in `storeDir` if its files are torn or unreadable (store-repair.ts); says what it did, or null. */
export function repairStoreFiles(storeDir: string): string | null {
  const eventlogFile = eventlogDbFile(storeDir)
  if (!existsSync(eventlogFile)) return null
  const stateFile = stateDbFile(storeDir)
  const eventlog = new BetterSqlite3(eventlogFile)
  let repair: ReturnType<typeof planStoreRepair>
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
  if (repair.resetEventlog) removeDatabase(eventlogFile)
  // LiveStore builds a missing state database again from the eventlog.
  if (repair.rebuildState) removeDatabase(stateFile)
  return repair.description
}
