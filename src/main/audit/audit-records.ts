/**
 * Turns eventlog entries into audit records. Message bodies and previews stay out unless asked for (they stand
 * as their SHA-256, which the hash chain accepts in their place); with redaction, a content string that holds
 * a secret becomes `{ redacted, sha256 }`: readable, masked, and still verifiable.
 */
import { auditSummary, auditTargets, type AuditRecord } from '../../shared/audit/audit-record'
import { CONTENT_KEYS, sha256Hex } from '../hub/event-hash'
import type { AuditEntry } from './audit-query'
import { redactSecrets } from './redact'
import type { TrailDevices } from './trail-devices'

export interface RecordOptions {
  /** Keep message previews and texts (they are left out by default). */
  readonly includeContent: boolean
  /** Mask what looks like a secret in the content that is exported. */
  readonly redact: boolean
}

/** Content that is message bodies (titles are metadata and always exported). */
const MESSAGE_CONTENT = new Set(['preview', 'text'])

type Meta = { at?: unknown; deviceId?: unknown; actor?: unknown; origin?: unknown }

/** A record as the writers take it: with its data already as JSON text (often the stored text, unchanged). */
export interface ExportRecord extends AuditRecord {
  readonly dataJson: string
}

/** Whether an event's stored JSON may hold message content (a cheap test that spares most events a walk). */
const mayHoldMessageContent = (args: string): boolean =>
  args.includes('"preview":') || args.includes('"text":')

export function recordMaker(devices: TrailDevices, options: RecordOptions) {
  let masked = 0

  const content = (key: string, value: string): unknown => {
    if (MESSAGE_CONTENT.has(key) && !options.includeContent) return { sha256: sha256Hex(value) }
    if (!options.redact) return value
    const redaction = redactSecrets(value)
    if (redaction.masked === 0) return value
    masked += redaction.masked
    return { redacted: redaction.text, sha256: sha256Hex(value) }
  }

  /** Replaces content strings in place: the tree was just parsed for this record and belongs to nobody else. */
  const exportInPlace = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) if (item !== null && typeof item === 'object') exportInPlace(item)
      return
    }
    if (value === null || typeof value !== 'object') return
    const object = value as Record<string, unknown>
    for (const key in object) {
      const inner = object[key]
      if (typeof inner === 'string') {
        if (CONTENT_KEYS.has(key)) object[key] = content(key, inner)
      } else if (inner !== null && typeof inner === 'object') exportInPlace(inner)
    }
  }

  // The hub accepts events in batches, so consecutive entries mostly share their acceptance time.
  let lastAccepted = { ms: Number.NaN, iso: '' }
  const acceptedAt = (ms: number): string => {
    if (ms !== lastAccepted.ms) lastAccepted = { ms, iso: new Date(ms).toISOString() }
    return lastAccepted.iso
  }

  return {
    /** How many secrets were masked so far. */
    masked: () => masked,
    record(entry: AuditEntry): ExportRecord {
      const data = JSON.parse(entry.args) as unknown
      const changes = options.redact || (!options.includeContent && mayHoldMessageContent(entry.args))
      if (changes) exportInPlace(data)
      const meta = (data ?? {}) as Meta
      const deviceId = typeof meta.deviceId === 'string' ? meta.deviceId : ''
      return {
        seq: entry.seq,
        time: eventTime(meta.at),
        acceptedAt: acceptedAt(entry.acceptedAt),
        deviceId,
        deviceName: devices.names.get(deviceId) ?? '',
        actor: typeof meta.actor === 'string' ? meta.actor : '',
        origin: typeof meta.origin === 'string' ? meta.origin : '',
        action: entry.name,
        targets: auditTargets(entry.name, data),
        summary: auditSummary(entry.name, data),
        clientId: entry.clientId,
        sessionId: entry.sessionId,
        data,
        dataJson: changes ? JSON.stringify(data) : entry.args,
        prevHash: entry.prevHash,
        hash: entry.hash,
        pushedBy: devices.vouchers.get(deviceId) ?? entry.pushedBy,
      }
    },
  }
}

const DAY_MS = 86_400_000
/** The largest time a JavaScript Date holds. */
const MAX_DATE_MS = 8.64e15
let cachedDay = { day: Number.NaN, prefix: '' }
const pad = (n: number, width: number) => String(n).padStart(width, '0')

/**
 * The event's own time as ISO 8601 ('' when an event carries none or a nonsense one). Events come in time order
 * mostly, so the date part is made once per day and only the time of day per event (Date#toISOString was a
 * noticeable share of a million-event export).
 */
export function eventTime(at: unknown): string {
  if (typeof at !== 'number' || !Number.isInteger(at) || Math.abs(at) > MAX_DATE_MS) return ''
  const day = Math.floor(at / DAY_MS)
  if (day !== cachedDay.day) {
    const iso = new Date(day * DAY_MS).toISOString()
    cachedDay = { day, prefix: iso.slice(0, iso.indexOf('T') + 1) }
  }
  const ms = at - day * DAY_MS
  return (
    `${cachedDay.prefix}${pad(Math.floor(ms / 3_600_000), 2)}:${pad(Math.floor(ms / 60_000) % 60, 2)}:` +
    `${pad(Math.floor(ms / 1_000) % 60, 2)}.${pad(ms % 1_000, 3)}Z`
  )
}
