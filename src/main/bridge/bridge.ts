/**
 * The bridge between the SQL repository and LiveStore, both ways, exactly once:
 * - SQL→LiveStore: each tick reads the change feed after its cursor, makes a few events (at most
 *   MAX_EVENTS_PER_TICK, each carrying the tick's end of the feed as `sqlSeq`) and commits them as one batch.
 *   LiveStore's leader persists a batch of that size in one transaction, and the cursor is materialised from the
 *   events themselves (bridgeCursors), so after a crash the cursor and the events agree: nothing lost, nothing
 *   twice.
 * - LiveStore→SQL: confirmed events (from the hub's eventlog in this same database, or from the store when it
 *   syncs with another backend) are applied in one transaction together with the applied-event cursor
 *   (apply-events.ts). Its writes are tagged 'bridge' and
 *   skipped by the other half: no echo.
 * Started, it drains when something changed: the database's files (any process's write, this one's included:
 * database-writes.ts) or the confirmed events (confirmed-events.ts). Nothing changing costs nothing but a poll every
 * few seconds, kept for file systems that report no changes.
 */
import { tables } from '../../shared/livestore/schema'
import type { ChronicleStore } from '../livestore/chronicle-store'
import type { Repository } from '../repository/repository'
import { announceFloor } from './announce-floor'
import { NOT_BRIDGED } from './change-batch'
import { appliedCursor, applyEvents } from './apply-events'
import type { ConfirmedEvent, ConfirmedEvents } from './confirmed-events'
import { nextTick } from './bridge-tick'
import { watchDatabaseWrites } from './database-writes'

const EVENTS_APPLIED_PER_TRANSACTION = 500
/**
 * The poll behind the wake-ups. It only matters where the file system reports no writes (a network share written
 * by another machine), where it bounds the delay; each poll is a drain finding nothing, a few indexed reads.
 */
export const FALLBACK_POLL_MS = 5_000

export interface BridgeOptions {
  readonly repository: Repository
  /** The local hub's eventlog, or the store's copy of a remote backend's (confirmed-events.ts). */
  readonly confirmed: ConfirmedEvents
  readonly store: ChronicleStore
  readonly deviceId: string
  readonly now?: () => number
  readonly onProblem?: (message: string) => void
}

export interface BridgeTick {
  readonly eventsCommitted: number
  readonly eventsApplied: number
}

export interface Bridge {
  /** Runs both halves until neither has anything left of what was written before the call. */
  drain(): Promise<BridgeTick>
  /** Drains now, on every change of the database's files or the confirmed events, and every `intervalMs`. */
  start(intervalMs?: number): void
  /** Drains now (or right after the drain under way), if started: the repository changed. */
  wake(): void
  stop(): Promise<void>
  /** The change-feed position already turned into events. */
  readonly sqlCursor: () => number
  /** How many change-feed rows are not yet events (the bridge catching up with a large import). */
  backlog(): Promise<number>
}

export function makeBridge(options: BridgeOptions): Bridge {
  const { repository, confirmed, store, deviceId } = options
  const now = options.now ?? Date.now
  let sqlCursor = store.store.query(tables.bridgeCursors.where({ deviceId }).first())?.sqlSeq ?? 0
  // A merge into another library moves the start past the feed of the eventlog it gave up (announce-floor.ts).
  let floorRead = false
  const readFloor = async () => {
    if (floorRead) return
    sqlCursor = Math.max(sqlCursor, await announceFloor(repository.db))
    floorRead = true
  }

  const sqlToEvents = async (): Promise<number> => {
    let committed = 0
    await readFloor()
    for (;;) {
      const tick = await nextTick(repository.db, sqlCursor, deviceId, now)
      if (!tick) return committed
      if (tick.events.length > 0) await store.commit(tick.events)
      sqlCursor = tick.lastSeq
      committed += tick.events.length
    }
  }

  const eventsToSql = async (): Promise<number> => {
    let applied = 0
    for (;;) {
      const cursor = await appliedCursor(repository.db)
      const events = await confirmed.read(cursor, EVENTS_APPLIED_PER_TRANSACTION)
      if (events.length === 0) return applied
      await repository.write('bridge', (_writer, trx) =>
        applyEvents(trx, events, {
          deviceId,
          bridgedSeq: sqlCursor,
          prices: repository.prices,
          onSkipped: (event: ConfirmedEvent, error: unknown) =>
            options.onProblem?.(`event ${event.seqNum} (${event.name}) not applied to SQL: ${String(error)}`),
        }),
      )
      applied += events.length
    }
  }

  let running: Promise<BridgeTick> | null = null
  let queued: Promise<BridgeTick> | null = null
  const drainOnce = async (): Promise<BridgeTick> => {
    // SQL first: an edit in SQL that is not yet an event must be known before events are applied over it.
    const eventsCommitted = await sqlToEvents()
    const eventsApplied = await eventsToSql()
    return { eventsCommitted, eventsApplied }
  }
  // One drain at a time: the halves read each other's cursors. A drain asked for while one runs is a drain that
  // starts after it, since the one under way may have read the feed before what the caller wrote; the callers that
  // ask meanwhile share it.
  const drain = (): Promise<BridgeTick> => {
    if (running === null) {
      running = drainOnce().finally(() => (running = null))
      return running
    }
    queued ??= running
      .catch(() => undefined)
      .then(() => {
        queued = null
        return drain()
      })
    return queued
  }

  let timer: NodeJS.Timeout | null = null
  let started = false
  let stopped = false
  let stopWaking: readonly (() => void)[] = []
  const report = (error: unknown) =>
    // A busy database or a transient failure: the cursors did not move, the next wake-up or poll retries.
    options.onProblem?.(`bridge tick failed: ${String(error)}`)
  // Wake-ups and polls that share a drain report its failure once.
  let reported: Promise<BridgeTick> | null = null
  const drainReporting = () => {
    const drained = drain()
    if (drained !== reported) drained.catch(report)
    reported = drained
    return drained.then(
      () => undefined,
      () => undefined,
    )
  }
  const wake = () => {
    if (!stopped && started) void drainReporting()
  }
  return {
    drain,
    sqlCursor: () => sqlCursor,
    async backlog() {
      // The bridge's own writes (events applied, devices seen) and fetched bodies make no event, so they are no
      // backlog: the last change anyone else made after the cursor. Read from the cursor, not from the end of the
      // feed, which a machine fetching bodies fills with its own rows (asked on every wake of the body transfer).
      await readFloor()
      const cursor = sqlCursor
      const head = await repository.db
        .selectFrom('changes')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .where('seq', '>', cursor)
        .where('origin', 'not in', NOT_BRIDGED)
        .executeTakeFirst()
      return Math.max(0, (head?.seq ?? 0) - cursor)
    },
    start(intervalMs = FALLBACK_POLL_MS) {
      if (stopped || started) return
      started = true
      const poll = async () => {
        await drainReporting()
        if (!stopped) timer = setTimeout(() => void poll(), intervalMs)
      }
      timer = setTimeout(() => void poll(), 0)
      stopWaking = [watchDatabaseWrites(repository.file, wake), confirmed.onConfirmed(wake)]
    },
    wake,
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      for (const stopWatching of stopWaking) stopWatching()
      await Promise.allSettled([running, queued])
    },
  }
}
