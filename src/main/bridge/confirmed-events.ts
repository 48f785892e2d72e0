/**
 * Where the LiveStore→SQL half of the bridge reads confirmed events: the hub's eventlog in this process (with a
 * sync worker, the relay's replica of the worker's: relay/relay.ts). Kept an interface so the bridge's tests can
 * hand it events without a hub.
 */
import type { Hub } from '../hub/hub'
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
