/**
 * Recovery from a write that LiveStore 0.4.0's leader tore in two. It keeps a store in two SQLite databases, the
 * state and the eventlog (which also holds the backend's head), and commits each on its own, so a process killed
 * between two commits (a crash, a closed window) leaves them disagreeing. Two such tears are known:
 *
 * - An interrupted pull. The backend's new head is written before the pulled events, so the head is ahead of the
 *   eventlog; the leader then refuses to start, for good ("the backend head should never be greater than the local
 *   head"; livestorejs/livestore#409). Nothing is lost: the backend has the events, so setting the head back to
 *   the eventlog's makes the leader pull them again. Since patches/@livestore+common+0.4.0.patch the head is written
 *   in the transaction of the chunk's events; stores written before it may still be torn so.
 * - An interrupted commit, local or pulled. The state commits before the eventlog, so the state has applied events
 *   the eventlog never got. LiveStore does not notice: the state shows changes that no other client will ever
 *   receive, and what the state records of its own progress (the bridge's cursor into the SQL change feed) claims
 *   work that was never kept. Those events are undone in the state (state-undo.ts), or, when the record needed to
 *   undo them is incomplete, the state is dropped and LiveStore rebuilds it from the eventlog; either way the bridge
 *   then mirrors those SQL changes again, and a pulled event is pulled again, applied once.
 *
 * Pure: the runners (Node files, the browser's OPFS) read the heads and carry out the plan.
 */
import { SystemTables } from '@livestore/common/schema'

/** The queries whose first column gives each head (null or no row: nothing there yet). */
export const HEAD_QUERIES = {
  /** What the backend confirmed, as the leader last wrote it. */
  backend: 'SELECT head FROM __livestore_sync_status',
  /** The newest event in the local eventlog. */
  eventlog: 'SELECT max(seqNumGlobal) AS head FROM eventlog',
  /**
   * The newest event the state database applied: each applied event leaves its changeset row, trimmed only below
   * the backend's head, so an event applied but never kept in the eventlog always has its row. (The only client-only
   * events, the page's library view (library-view.ts), differ only in seqNumClient: a torn one loses a view setting.)
   */
  state: `SELECT max(seqNumGlobal) AS head FROM ${SystemTables.SESSION_CHANGESET_META_TABLE}`,
} as const

export const setBackendHeadSql = (head: number): string =>
  `UPDATE __livestore_sync_status SET head = ${Math.trunc(head)}`

export interface StoreHeads {
  /** Null before the store first met its backend (or when it has none). */
  readonly backend: number | null
  readonly eventlog: number
  /** Null when the state database has no changeset rows (nothing applied since the last trim) or does not exist. */
  readonly state: number | null
}

export interface TornWriteRepair {
  /** The backend head to write back (the eventlog's own), or null to leave it. */
  readonly backendHead: number | null
  /** The eventlog's head when the state database is ahead of it: the state's events after it are undone. */
  readonly undoStateAbove: number | null
}

/** The repair these heads need, or null when the store is consistent (the usual case). */
export function tornWriteRepair(heads: StoreHeads): TornWriteRepair | null {
  const headAhead = heads.backend !== null && heads.backend > heads.eventlog
  const stateAhead = heads.state !== null && heads.state > heads.eventlog
  if (!headAhead && !stateAhead) return null
  return {
    backendHead: headAhead ? heads.eventlog : null,
    undoStateAbove: stateAhead ? heads.eventlog : null,
  }
}

const undoneText = (count: number) =>
  count === 1
    ? "the state's one event beyond the eventlog is undone"
    : `the state's ${count} events beyond the eventlog are undone`

/** One line for the log and the console, saying what was found and done. */
export function describeRepair(heads: StoreHeads, repair: TornWriteRepair): string {
  const found = [
    heads.backend === null ? null : `backend head ${heads.backend}`,
    `eventlog head ${heads.eventlog}`,
    heads.state === null ? null : `state head ${heads.state}`,
  ].filter((part) => part !== null)
  const done = [
    repair.backendHead === null ? null : `the backend head is set back to ${repair.backendHead}`,
    heads.state === null || repair.undoStateAbove === null
      ? null
      : undoneText(heads.state - repair.undoStateAbove),
  ].filter((part) => part !== null)
  const cause =
    repair.backendHead === null
      ? "LiveStore's last commit was interrupted"
      : "LiveStore's last pull was interrupted"
  const then = repair.backendHead === null ? '' : ', and the missing events are pulled again'
  return `${cause} (${found.join(', ')}): ${done.join(' and ')}${then}`
}
