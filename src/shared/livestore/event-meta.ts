/**
 * What every Chronicle event carries besides its payload. LiveStore events have no timestamp and no author, and
 * the eventlog is the audit trail, so each event says itself when it happened, on which device, who did it and
 * through which path it entered.
 */
import { Schema } from '@livestore/livestore'

export const ORIGINS = ['ui', 'import', 'sql', 'sync'] as const
export type Origin = (typeof ORIGINS)[number]

export const eventMeta = {
  /** Epoch milliseconds on the device that made the event. */
  at: Schema.Number,
  deviceId: Schema.String,
  /** Who: 'user', 'importer', 'bridge', 'simulator', or an outside program's name. */
  actor: Schema.String,
  /**
   * How it entered: ui (a person in Chronicle), import (an importer), sql (another writer of the repository,
   * seen through its change feed), sync (another device or client of the hub).
   */
  origin: Schema.Literal(...ORIGINS),
}

export type EventMeta = {
  readonly at: number
  readonly deviceId: string
  readonly actor: string
  readonly origin: Origin
}

/**
 * Set on the events the SQL→LiveStore bridge makes: the highest change-feed sequence number of the device's
 * repository that the event covers. The materialised maximum per device is where the bridge goes on after a
 * restart, so the cursor can never run ahead of, or fall behind, the events that were committed.
 */
export const sqlSeq = Schema.optional(Schema.Number)
