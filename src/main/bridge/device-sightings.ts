/**
 * The devices behind a run of confirmed events, for the repository's `devices` table: every device that made an
 * event (or that the hub recorded connecting) is seen at that event's time, and its registrations and renames say
 * what it is called. A device can write before its registration reaches the eventlog, or never register: it is
 * still listed, under its id, so the system of record knows every device that wrote into it.
 *
 * One row write per device per run, not per event: a large import's events would otherwise add a change row each.
 * Names, ids and versions come from other devices and are untrusted: the schema says only "a string", so they are
 * cut to a length and stripped of control and bidirectional-override characters, which would garble or disguise
 * a row in a terminal; an id that is not a plain string of modest length is not recorded at all.
 */
import { sql, type Transaction } from 'kysely'
import { DEVICE_KINDS } from '../../shared/livestore/events'
import type { Database } from '../repository/database-schema'
import { NO_PRICES } from '../repository/usage-writes'
import { makeWriter, type DeviceInput } from '../repository/writes'
import type { ConfirmedEvent } from './confirmed-events'

const NAME_CHARS = 100
const TEXT_CHARS = 64
const ID_CHARS = 128

type Said = Pick<DeviceInput, 'name' | 'platform' | 'kind' | 'appVersion'>

interface Sighting {
  first: number | null
  last: number | null
  said: Said
  /** The last event that named the device, for reporting a row that cannot be written. */
  event: ConfirmedEvent
}

// C0/C1 controls, lone surrogates, line and paragraph separators and the bidirectional controls.
const UNPRINTABLE = /[\p{Cc}\p{Cs}\s\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+/gu

/** One line of at most `max` characters without control characters; '' for anything but a string. */
export function printable(value: unknown, max: number): string {
  if (typeof value !== 'string') return ''
  const line = value
    .slice(0, max * 4)
    .replace(UNPRINTABLE, ' ')
    .trim()
  return Array.from(line).slice(0, max).join('').trim()
}

/** The id as a row key: used whole or not at all, since a cut id would merge two devices. */
function deviceId(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > ID_CHARS) return null
  return printable(value, ID_CHARS) === value ? value : null
}

const timeOf = (value: unknown): number | null => (Number.isSafeInteger(value) ? (value as number) : null)

export interface DeviceSightings {
  /** Notes the devices one event shows (call in eventlog order). */
  note(event: ConfirmedEvent): void
  /** Writes each device seen once; a device whose row cannot be written is reported and the rest go on. */
  write(
    trx: Transaction<Database>,
    onSkipped?: (event: ConfirmedEvent, error: unknown) => void,
  ): Promise<void>
}

export function deviceSightings(): DeviceSightings {
  const seen = new Map<string, Sighting>()
  const refused = new Map<string, ConfirmedEvent>()

  const see = (rawId: unknown, at: unknown, event: ConfirmedEvent, said: Said = {}) => {
    const id = deviceId(rawId)
    if (id === null) {
      // An event without a device id at all is malformed, and reported as not applied already.
      if (typeof rawId === 'string') refused.set(rawId, event)
      return
    }
    const time = timeOf(at)
    const sighting = seen.get(id) ?? { first: null, last: null, said: {}, event }
    if (time !== null) {
      sighting.first = sighting.first === null ? time : Math.min(sighting.first, time)
      sighting.last = sighting.last === null ? time : Math.max(sighting.last, time)
    }
    // Later events win: a rename after a registration, a registration again with a new name.
    sighting.said = { ...sighting.said, ...said }
    sighting.event = event
    seen.set(id, sighting)
  }

  return {
    note(event) {
      const args = (event.args ?? {}) as Record<string, unknown>
      switch (event.name) {
        case 'v1.DeviceRegistered':
          return see(args.deviceId, args.at, event, {
            ...nameOf(args),
            kind: DEVICE_KINDS.find((kind) => kind === args.kind) ?? '',
            platform: printable(args.platform, TEXT_CHARS),
            appVersion: printable(args.appVersion, TEXT_CHARS),
          })
        case 'v1.DeviceRenamed':
          return see(args.deviceId, args.at, event, nameOf(args))
        case 'v1.DeviceConnected':
        case 'v1.DeviceDisconnected':
          // The hub saw that device (its own clock says when); the event itself is the hub device's.
          see(args.connectedDeviceId, args.at, event)
          return see(args.deviceId, args.at, event)
        default:
          return see(args.deviceId, args.at, event)
      }
    },
    async write(trx, onSkipped) {
      const writer = makeWriter(trx, NO_PRICES) // devices only: no response to price
      for (const [id, { first, last, said, event }] of seen) {
        // A device whose events carried no usable time is listed at 0: unknown, and earlier than any real time.
        const device = { id, ...said, firstSeenAt: first ?? 0, lastSeenAt: last ?? 0 }
        await sql`SAVEPOINT see_device`.execute(trx)
        try {
          await writer.upsertDevice(device)
        } catch (error) {
          await sql`ROLLBACK TO see_device`.execute(trx)
          onSkipped?.(event, error)
        }
        await sql`RELEASE see_device`.execute(trx)
      }
      for (const [id, event] of refused) {
        const shown = `${JSON.stringify(printable(id, 40))}${id.length > 40 ? '…' : ''}`
        onSkipped?.(event, new Error(`its device id ${shown} is not recorded: not a plain id`))
      }
    },
  }
}

/** A registration's or rename's name, when it has one that prints; a new row otherwise takes the id. */
function nameOf(args: Record<string, unknown>): Said {
  const name = printable(args.name, NAME_CHARS)
  return name === '' ? {} : { name }
}
