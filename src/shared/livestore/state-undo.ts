/**
 * Undoing the events a torn commit left in a store's state database and not in its eventlog (torn-write.ts), instead
 * of rebuilding the whole state from the eventlog. A rebuild replays every event: 178 s for 20,000 events of a large
 * library, all of it on the way to the first row. LiveStore records, for each event the state applies, the SQLite
 * changeset of what it did (`__livestore_session_changeset`), kept until the backend confirms the event; inverting
 * those changesets newest first undoes exactly those events, as LiveStore's own rollback does when it rebases.
 *
 * Pure: the runners pass a database that can apply changesets (LiveStore's wasm SQLite, in Node and in the page).
 */
import { SystemTables } from '@livestore/common/schema'

export interface ChangesetDb {
  select<T>(query: string): readonly T[]
  execute(query: string): void
  makeChangeset(data: Uint8Array<ArrayBuffer>): { invert(): { apply(): void } }
}

const CHANGESETS = SystemTables.SESSION_CHANGESET_META_TABLE

interface ChangesetRow {
  readonly seqNumGlobal: number
  readonly changeset: Uint8Array<ArrayBuffer> | null
}

/**
 * Undoes every event the state applied after the eventlog's `head`, in one transaction; says how many it undid, or
 * null, having changed nothing, when the record of them is incomplete (a global number without its row).
 */
export function undoStateEventsAbove(db: ChangesetDb, head: number): number | null {
  const floor = Math.trunc(head)
  const rows = db.select<ChangesetRow>(
    `SELECT seqNumGlobal, changeset FROM ${CHANGESETS} WHERE seqNumGlobal > ${floor} ` +
      'ORDER BY seqNumGlobal DESC, seqNumClient DESC',
  )
  const top = rows[0]?.seqNumGlobal ?? floor
  // Global numbers have no gaps, so each one between the eventlog's head and the state's must have its row.
  const recorded = new Set(rows.map((row) => row.seqNumGlobal)).size
  if (recorded !== top - floor) return null
  db.execute('BEGIN')
  try {
    for (const row of rows) if (row.changeset !== null) db.makeChangeset(row.changeset).invert().apply()
    db.execute(`DELETE FROM ${CHANGESETS} WHERE seqNumGlobal > ${floor}`)
    db.execute('COMMIT')
  } catch (error) {
    db.execute('ROLLBACK')
    throw error
  }
  return rows.length
}
