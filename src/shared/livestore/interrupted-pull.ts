/**
 * Recovery from a pull that LiveStore 0.4.0 left half-done. Its leader records the backend's new head before it
 * writes the pulled events (the head in the eventlog database on its own, then the events in the state and the
 * eventlog databases, one commit each), so a process killed in between (a closed window, a crash) leaves a head
 * ahead of the eventlog. The leader then refuses to start, for good ("the backend head should never be greater
 * than the local head"; livestorejs/livestore#409), and the page shows stale data, offline, from then on.
 *
 * Nothing is lost in that state: the backend has the events, so setting the head back to the eventlog's makes the
 * leader pull them again. If the state database had already committed them (the kill came between its commit and
 * the eventlog's), pulling them again would apply them twice, so the state is dropped and LiveStore rebuilds it
 * from the eventlog. Pure: the runners (Node files, the browser's OPFS) read the heads and carry out the plan.
 */

/** The queries whose first column gives each head (null or no row: nothing there yet). */
export const HEAD_QUERIES = {
  /** What the backend confirmed, as the leader last wrote it. */
  backend: 'SELECT head FROM __livestore_sync_status',
  /** The newest event in the local eventlog. */
  eventlog: 'SELECT max(seqNumGlobal) AS head FROM eventlog',
  /** The newest event the state database applied (each applied event leaves its changeset row until trimmed). */
  state: 'SELECT max(seqNumGlobal) AS head FROM __livestore_session_changeset',
} as const

export const setBackendHeadSql = (head: number): string =>
  `UPDATE __livestore_sync_status SET head = ${Math.trunc(head)}`

export interface StoreHeads {
  readonly backend: number
  readonly eventlog: number
  /** Null when the state database has no changeset rows (nothing applied since the last trim). */
  readonly state: number | null
}

export interface InterruptedPullRepair {
  /** The backend head to write back: the eventlog's own. */
  readonly backendHead: number
  /** Whether the state database is ahead of the eventlog and must be rebuilt from it. */
  readonly rebuildState: boolean
}

/** The repair these heads need, or null when the store is consistent (the usual case). */
export function interruptedPullRepair(heads: StoreHeads): InterruptedPullRepair | null {
  if (heads.backend <= heads.eventlog) return null
  return { backendHead: heads.eventlog, rebuildState: heads.state !== null && heads.state > heads.eventlog }
}

/** One line for the log and the console, saying what was found and done. */
export const describeRepair = (heads: StoreHeads, repair: InterruptedPullRepair): string =>
  `LiveStore's last pull was interrupted (backend head ${heads.backend}, eventlog head ${heads.eventlog}` +
  `${heads.state === null ? '' : `, state head ${heads.state}`}): the head is set back to ${repair.backendHead}` +
  `${repair.rebuildState ? ' and the state is rebuilt from the eventlog' : ''}, and the missing events are pulled again`
