/**
 * Where the LiveStore→SQL half of the bridge reads confirmed events: the local hub's eventlog when this process
 * hosts the hub, or the main store's own copy of the backend's eventlog when the store syncs with another backend
 * (LiveStore's Cloudflare backend, or a hub on another machine). The bridge is the same either way: choosing the
 * backend is configuration.
 */
import { StoreInternalsSymbol } from '@livestore/livestore'
import { EventSequenceNumber } from '@livestore/common/schema'
import { Effect, Fiber, Stream } from '@livestore/utils/effect'
import type { Hub } from '../hub/hub'
import type { ChronicleStore } from '../livestore/chronicle-store'
import { READ_BYTES } from '../hub/hub-eventlog'

export interface ConfirmedEvent {
  readonly seqNum: number
  readonly name: string
  readonly args: unknown
}

export interface ConfirmedEvents {
  /** Confirmed events after `cursor`, oldest first, at most `limit`. */
  read(cursor: number, limit: number): Promise<readonly ConfirmedEvent[]>
  /** Calls `listener` when events may have been confirmed since the last read; returns how to stop. */
  onConfirmed(listener: () => void): () => void
}

export const hubConfirmedEvents = (hub: Hub): ConfirmedEvents => ({
  read: (cursor, limit) => hub.eventlog.read(cursor, limit, READ_BYTES),
  onConfirmed: (listener) => hub.onAppended(listener),
})

export function storeConfirmedEvents(store: ChronicleStore): ConfirmedEvents {
  const leader = store.store[StoreInternalsSymbol].clientSession.leaderThread
  return {
    async read(cursor, limit) {
      // Only what the backend confirmed: the leader's upstream head, not its local one.
      const { upstreamHead } = await Effect.runPromise(leader.syncState.get)
      const last = Math.min(upstreamHead.global, cursor + limit)
      if (last <= cursor) return []
      const events: ConfirmedEvent[] = []
      for await (const event of store.store.events({
        since: EventSequenceNumber.Client.fromGlobal(EventSequenceNumber.Global.make(cursor)),
        until: EventSequenceNumber.Client.fromGlobal(EventSequenceNumber.Global.make(last)),
      }))
        events.push({ seqNum: event.seqNum.global, name: event.name, args: event.args })
      return events
    },
    onConfirmed(listener) {
      // The leader's sync state also changes with every local commit; only a move of the upstream head confirms.
      const fiber = leader.syncState.changes.pipe(
        Stream.map((state) => state.upstreamHead.global),
        Stream.changes,
        Stream.runForEach((_head) => Effect.sync(listener)),
        Effect.runFork,
      )
      return () => void Effect.runFork(Fiber.interrupt(fiber))
    },
  }
}
