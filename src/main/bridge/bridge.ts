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
 */
import { tables } from '../../shared/livestore/schema'
import type { ChronicleStore } from '../livestore/chronicle-store'
import type { Repository } from '../repository/repository'
import { appliedCursor, applyEvents } from './apply-events'
import type { ConfirmedEvent, ConfirmedEvents } from './confirmed-events'
import { nextTick } from './bridge-tick'

const EVENTS_APPLIED_PER_TRANSACTION = 500

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
  /** Runs both halves until neither has anything left. */
  drain(): Promise<BridgeTick>
  /** Drains every `intervalMs` until stopped. */
  start(intervalMs?: number): void
  /** Drains now (or right after the drain under way) rather than at the next interval: the repository changed. */
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

  const sqlToEvents = async (): Promise<number> => {
    let committed = 0
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
          onSkipped: (event: ConfirmedEvent, error: unknown) =>
            options.onProblem?.(`event ${event.seqNum} (${event.name}) not applied to SQL: ${String(error)}`),
        }),
      )
      applied += events.length
    }
  }

  let running: Promise<BridgeTick> | null = null
  const drain = () => {
    // One drain at a time: the halves read each other's cursors.
    running ??= (async () => {
      try {
        // SQL first: an edit in SQL that is not yet an event must be known before events are applied over it.
        const eventsCommitted = await sqlToEvents()
        const eventsApplied = await eventsToSql()
        return { eventsCommitted, eventsApplied }
      } finally {
        running = null
      }
    })()
    return running
  }

  let timer: NodeJS.Timeout | null = null
  let stopped = false
  let loop: (() => Promise<void>) | null = null
  let wokenWhileDraining = false
  return {
    drain,
    sqlCursor: () => sqlCursor,
    async backlog() {
      const head = await repository.db
        .selectFrom('changes')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .executeTakeFirst()
      return Math.max(0, (head?.seq ?? 0) - sqlCursor)
    },
    start(intervalMs = 20) {
      loop = async () => {
        if (stopped) return
        timer = null
        try {
          do {
            wokenWhileDraining = false
            await drain()
          } while (wokenWhileDraining && !stopped)
        } catch (error) {
          // A busy database or a transient failure: the cursors did not move, the next tick retries.
          options.onProblem?.(`bridge tick failed: ${String(error)}`)
        }
        if (!stopped) timer = setTimeout(() => void loop?.(), intervalMs)
      }
      void loop()
    },
    wake() {
      if (stopped || !loop) return
      if (timer === null) {
        // Draining now: what woke us may have committed after the drain read the feed.
        wokenWhileDraining = true
        return
      }
      clearTimeout(timer)
      void loop()
    },
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await running
    },
  }
}
