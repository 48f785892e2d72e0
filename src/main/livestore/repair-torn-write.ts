/**
 * The Node side of the recovery in shared/livestore/torn-write.ts: LiveStore's files here are plain SQLite
 * databases, read and fixed with better-sqlite3 before LiveStore opens them.
 */
import BetterSqlite3 from 'better-sqlite3'
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { liveStoreStorageFormatVersion } from '@livestore/common'
import {
  describeRepair,
  HEAD_QUERIES,
  setBackendHeadSql,
  tornWriteRepair,
} from '../../shared/livestore/torn-write'
import { schema } from '../../shared/livestore/schema'

/** The state database LiveStore's Node adapter opens for this schema (older schemas' files are not read). */
export const stateDbFile = (storeDir: string): string =>
  join(storeDir, `state${schema.state.sqlite.hash}@${liveStoreStorageFormatVersion}.db`)

const eventlogDbFile = (storeDir: string): string =>
  join(storeDir, `eventlog@${liveStoreStorageFormatVersion}.db`)

/** First column of the first row, or null (no row, no table yet: a store that never finished booting). */
function headOf(db: BetterSqlite3.Database, query: string): number | null {
  try {
    const value = db.prepare(query).pluck().get()
    return typeof value === 'number' ? value : null
  } catch {
    return null
  }
}

/** Repairs the store in `storeDir` if a write was torn between its databases; returns what it did, or null. */
export function repairTornWrite(storeDir: string): string | null {
  const eventlogFile = eventlogDbFile(storeDir)
  if (!existsSync(eventlogFile)) return null
  const eventlog = new BetterSqlite3(eventlogFile)
  try {
    const stateFile = stateDbFile(storeDir)
    const state = existsSync(stateFile) ? new BetterSqlite3(stateFile, { readonly: true }) : null
    const heads = {
      backend: headOf(eventlog, HEAD_QUERIES.backend),
      eventlog: headOf(eventlog, HEAD_QUERIES.eventlog) ?? 0,
      state: state ? headOf(state, HEAD_QUERIES.state) : null,
    }
    state?.close()
    const repair = tornWriteRepair(heads)
    if (!repair) return null
    if (repair.backendHead !== null) eventlog.exec(setBackendHeadSql(repair.backendHead))
    // LiveStore builds a missing state database again from the eventlog.
    if (repair.rebuildState)
      for (const file of [stateFile, `${stateFile}-journal`]) rmSync(file, { force: true })
    return describeRepair(heads, repair)
  } finally {
    eventlog.close()
  }
}
