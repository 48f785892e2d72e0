/**
 * One tick of the SQL→LiveStore half: the longest run of the change feed whose events LiveStore's leader persists
 * in one transaction, and those events.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../repository/database-schema'
import { readChangeBatch } from './change-batch'
import { eventsFromChanges, type BridgeEvent } from './events-from-changes'

/** What LiveStore 0.4's leader persists in one transaction: a tick's events are all there or none are. */
export const MAX_EVENTS_PER_TICK = 10
const CHANGE_ROWS_PER_TICK = 2_000

export interface Tick {
  /** The feed's position after this tick (the cursor its events carry). */
  readonly lastSeq: number
  readonly events: BridgeEvent[]
}

/**
 * The changes after `after` that fit in one tick, and their events; null when the feed has nothing new. The batch
 * is cut by the events its changes make; only a new row that carries flags makes more than counted, and then the
 * tick is cut again, shorter.
 */
export async function nextTick(
  db: Kysely<Database>,
  after: number,
  deviceId: string,
  now: () => number,
): Promise<Tick | null> {
  let rows = CHANGE_ROWS_PER_TICK
  for (;;) {
    const batch = await readChangeBatch(db, after, rows, MAX_EVENTS_PER_TICK)
    if (!batch) return null
    const events = await eventsFromChanges(db, batch, deviceId, now)
    if (events.length <= MAX_EVENTS_PER_TICK || rows === 1) return { lastSeq: batch.lastSeq, events }
    // Sequence numbers have no gaps but for rolled-back inserts, so the batch took at most this many rows.
    const taken = Math.min(rows, batch.lastSeq - after)
    rows = Math.max(1, Math.min(taken - 1, Math.floor((taken * MAX_EVENTS_PER_TICK) / events.length)))
  }
}
