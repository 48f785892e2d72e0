/**
 * What to do with a LiveStore store's files before LiveStore opens them, from what could be read of them. Two kinds
 * of damage are mended, both without losing anything the hub has:
 *
 * - A write torn between the two databases (torn-write.ts): heads that disagree. The state's extra events are
 *   undone where their record allows, else the state is rebuilt.
 * - A database that cannot be read at all (a damaged file, one that is not SQLite). LiveStore 0.4.0 does not
 *   recover from it: its leader fails while it boots and the page waits on "Opening your library…" for good, or
 *   the main side does not start. The state is derived from the eventlog, so an unreadable state is rebuilt; the
 *   eventlog of this copy is a replica of the hub's, so an unreadable one is emptied and pulled again. (The main
 *   store's own events that had not reached the hub come back too: the bridge mirrors again every SQL change after
 *   the cursor the pulled events carry. A page's edits not yet pushed are in the unreadable file, beyond reach.)
 *
 * Anything else that keeps a head from being read (a file another process holds) leaves the store to LiveStore.
 * Pure: the runners read the databases and carry out the plan.
 */
import { undoStateEventsAbove, type ChangesetDb } from './state-undo'
import { describeRepair, tornWriteRepair } from './torn-write'

/** A head as a runner read it. */
export type HeadReading =
  /** Null: no row, or no table yet (a store that never finished booting). */
  | { readonly kind: 'head'; readonly head: number | null }
  /** The database is damaged or is not SQLite. */
  | { readonly kind: 'corrupt'; readonly error: string }
  /** Could not be read for another reason: not this check's to mend. */
  | { readonly kind: 'unknown'; readonly error: string }

/** Reads a head with `read`, classifying what it throws (better-sqlite3's and wa-sqlite's errors alike). */
export function readHead(read: () => unknown): HeadReading {
  try {
    const value = read()
    return { kind: 'head', head: typeof value === 'number' ? value : null }
  } catch (error) {
    // LiveStore's SqliteError wraps SQLite's own error, whose message is the one a person can read.
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error
    const message = cause instanceof Error ? cause.message : String(cause)
    const code = (error as { code?: unknown } | null)?.code
    if (/no such table/i.test(message)) return { kind: 'head', head: null }
    if (
      code === 'SQLITE_CORRUPT' ||
      code === 'SQLITE_NOTADB' ||
      code === 11 ||
      code === 26 ||
      /malformed|not a database|disk image/i.test(message)
    )
      return { kind: 'corrupt', error: message }
    return { kind: 'unknown', error: message }
  }
}

export interface StoreReadings {
  readonly backend: HeadReading
  readonly eventlog: HeadReading
  /** Null when there is no state database. */
  readonly state: HeadReading | null
}

export interface StoreRepair {
  /** Empty the eventlog database (and so the state): the store is pulled again from the hub. */
  readonly resetEventlog: boolean
  /** Remove the state database: LiveStore rebuilds it from the eventlog. */
  readonly rebuildState: boolean
  /** Undo the state's events after this head, the eventlog's (state-undo.ts), or null to leave them. */
  readonly undoStateAbove: number | null
  /** The backend head to write back, or null to leave it. */
  readonly backendHead: number | null
  /** One line for the log and the console, saying what was found and what is done. */
  readonly description: string
}

/** What a person asks for when a store will not open whatever the cause: this copy emptied and pulled again. */
export const REBUILD_ON_REQUEST: StoreRepair = {
  resetEventlog: true,
  rebuildState: true,
  undoStateAbove: null,
  backendHead: null,
  description: 'this copy was rebuilt on request: it is emptied and everything is pulled again from the hub',
}

/** The repair these readings call for, or null when the store is sound (the usual case) or not this check's. */
export function planStoreRepair(readings: StoreReadings): StoreRepair | null {
  const all = [readings.backend, readings.eventlog, readings.state].filter((r) => r !== null)
  if (all.some((r) => r.kind === 'unknown')) return null
  const eventlogDamage = [readings.backend, readings.eventlog].find((r) => r.kind === 'corrupt')
  if (eventlogDamage?.kind === 'corrupt')
    return {
      resetEventlog: true,
      rebuildState: true,
      undoStateAbove: null,
      backendHead: null,
      description:
        `this copy's eventlog cannot be read (${eventlogDamage.error}): ` +
        'it is emptied and everything is pulled again from the hub',
    }
  const headOf = (reading: HeadReading | null) => (reading?.kind === 'head' ? reading.head : null)
  const heads = {
    backend: headOf(readings.backend),
    eventlog: headOf(readings.eventlog) ?? 0,
    state: headOf(readings.state),
  }
  const torn = tornWriteRepair(heads)
  if (readings.state?.kind === 'corrupt')
    return {
      resetEventlog: false,
      rebuildState: true,
      undoStateAbove: null,
      backendHead: torn?.backendHead ?? null,
      description:
        `the state database cannot be read (${readings.state.error}): it is rebuilt from the eventlog` +
        (torn?.backendHead == null ? '' : `, and the backend head is set back to ${torn.backendHead}`),
    }
  if (!torn) return null
  return { resetEventlog: false, rebuildState: false, ...torn, description: describeRepair(heads, torn) }
}

/**
 * Carries out the plan's undo in `state` (state-undo.ts), and returns the plan that remains. When the record needed
 * to undo is incomplete, or the undo fails (it then changes nothing), the state is rebuilt from the eventlog
 * instead, and the description says why.
 */
export function undoOrRebuildState(state: ChangesetDb | null, repair: StoreRepair): StoreRepair {
  if (repair.undoStateAbove === null) return repair
  let failure: string
  try {
    const undone = state ? undoStateEventsAbove(state, repair.undoStateAbove) : null
    if (undone !== null) return { ...repair, undoStateAbove: null }
    failure = 'the record to undo them is incomplete'
  } catch (error) {
    failure = `undoing them failed (${error instanceof Error ? error.message : String(error)})`
  }
  return {
    ...repair,
    undoStateAbove: null,
    rebuildState: true,
    description: `${repair.description}; ${failure}, so the state is rebuilt from the eventlog instead`,
  }
}
