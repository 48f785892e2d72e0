/**
 * Turns eventlog entries into audit records. Message bodies and previews stay out unless asked for (they stand
 * as their SHA-256, which the hash chain accepts in their place); with redaction, a content string that holds
 * a secret becomes `{ redacted, sha256 }`: readable, masked, and still verifiable.
 */
import { auditSummary, auditTargets, type AuditRecord } from '../../shared/audit/audit-record'
import { CONTENT_KEYS, sha256Hex } from '../hub/event-hash'
import type { AuditEntry } from './audit-query'
import { redactSecrets } from './redact'

export interface RecordOptions {
  /** Keep message previews and texts (they are left out by default). */
  readonly includeContent: boolean
  /** Mask what looks like a secret in the content that is exported. */
  readonly redact: boolean
}

/** Content that is message bodies (titles are metadata and always exported). */
const MESSAGE_CONTENT = new Set(['preview', 'text'])

type Meta = { at?: unknown; deviceId?: unknown; actor?: unknown; origin?: unknown }

export function recordMaker(deviceNames: ReadonlyMap<string, string>, options: RecordOptions) {
  let masked = 0

  const content = (key: string, value: string): unknown => {
    if (MESSAGE_CONTENT.has(key) && !options.includeContent) return { sha256: sha256Hex(value) }
    if (!options.redact) return value
    const redaction = redactSecrets(value)
    if (redaction.masked === 0) return value
    masked += redaction.masked
    return { redacted: redaction.text, sha256: sha256Hex(value) }
  }

  const exported = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(exported)
    if (value === null || typeof value !== 'object') return value
    const out: Record<string, unknown> = {}
    for (const [key, inner] of Object.entries(value as Record<string, unknown>))
      out[key] = CONTENT_KEYS.has(key) && typeof inner === 'string' ? content(key, inner) : exported(inner)
    return out
  }

  return {
    /** How many secrets were masked so far. */
    masked: () => masked,
    record(entry: AuditEntry): AuditRecord {
      const data = exported(JSON.parse(entry.args) as unknown)
      const meta = (data ?? {}) as Meta
      const deviceId = typeof meta.deviceId === 'string' ? meta.deviceId : ''
      return {
        seq: entry.seq,
        time: eventTime(meta.at),
        acceptedAt: new Date(entry.acceptedAt).toISOString(),
        deviceId,
        deviceName: deviceNames.get(deviceId) ?? '',
        actor: typeof meta.actor === 'string' ? meta.actor : '',
        origin: typeof meta.origin === 'string' ? meta.origin : '',
        action: entry.name,
        targets: auditTargets(entry.name, data),
        summary: auditSummary(entry.name, data),
        clientId: entry.clientId,
        sessionId: entry.sessionId,
        data,
        prevHash: entry.prevHash,
        hash: entry.hash,
      }
    },
  }
}

/** The event's own time as ISO 8601 ('' when an event carries none or a nonsense one). */
export function eventTime(at: unknown): string {
  if (typeof at !== 'number' || !Number.isFinite(at)) return ''
  const date = new Date(at)
  return Number.isNaN(date.getTime()) ? '' : date.toISOString()
}
