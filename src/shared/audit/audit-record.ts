/**
 * One audit record: an event of the hub's eventlog as an auditor reads it. The same fields, in the same order,
 * in every export format and in the audit view. `data` is the event's payload; its content strings (titles,
 * message previews and texts) may stand as `{ sha256 }` (left out) or `{ redacted, sha256 }` (a secret masked),
 * which the hash chain accepts in place of the string (see src/main/hub/event-hash.ts).
 */

export interface AuditRecord {
  readonly seq: number
  /** When it happened, on the device that made it (ISO 8601). */
  readonly time: string
  /** When the hub accepted it (ISO 8601). */
  readonly acceptedAt: string
  readonly deviceId: string
  readonly deviceName: string
  readonly actor: string
  readonly origin: string
  /** The event's name, e.g. v1.ConversationRenamed. */
  readonly action: string
  /** The ids the event is about: a conversation, a device, an import. */
  readonly targets: readonly string[]
  readonly summary: string
  readonly clientId: string
  readonly sessionId: string
  readonly data: unknown
  /** The chain hash of the entry before this one, and this entry's own. */
  readonly prevHash: string
  readonly hash: string
  /**
   * Who the hub authenticated as the pusher, `kind:deviceId` (kind host, relay, ui or device), beside what the event
   * says of itself; '' for events from before the hub recorded it. Each hub records its own connections, so this is
   * outside the hash chain (which is the same on every machine); the digest's signature covers it in an export.
   */
  readonly pushedBy: string
}

export const AUDIT_COLUMNS = [
  'seq',
  'time',
  'acceptedAt',
  'deviceId',
  'deviceName',
  'actor',
  'origin',
  'action',
  'targets',
  'summary',
  'clientId',
  'sessionId',
  'data',
  'prevHash',
  'hash',
  'pushedBy',
] as const satisfies readonly (keyof AuditRecord)[]

type Data = Record<string, unknown>

/** A content value as a reader should see it: the text, the masked text, or a note that it was left out. */
export function contentText(value: unknown): string {
  if (typeof value === 'string') return value
  if (value !== null && typeof value === 'object') {
    const redacted = (value as { redacted?: unknown }).redacted
    if (typeof redacted === 'string') return redacted
    if (typeof (value as { sha256?: unknown }).sha256 === 'string') return '(content not exported)'
  }
  return ''
}

const SUMMARY_CHARS = 200

const oneLine = (text: string): string => {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > SUMMARY_CHARS ? `${line.slice(0, SUMMARY_CHARS - 1)}…` : line
}

const quoted = (value: unknown): string => `"${contentText(value)}"`
const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`
const str = (value: unknown): string => (typeof value === 'string' ? value : '')
const count = (value: unknown): number => (Array.isArray(value) ? value.length : 0)

function importCounts(data: Data): string {
  const c = (data.conversations ?? {}) as Data
  const m = (data.messages ?? {}) as Data
  const n = (v: unknown) => (typeof v === 'number' ? v : 0)
  return (
    `conversations ${n(c.added)} added, ${n(c.updated)} updated, ${n(c.removed)} removed; ` +
    `messages ${n(m.added)} added, ${n(m.updated)} updated, ${n(m.removed)} removed; ` +
    `${plural(n(data.problems), 'problem')}`
  )
}

/** One line that says what the event did, built from its data alone (so a verifier can rebuild it). */
export function auditSummary(action: string, data: unknown): string {
  const d = (data ?? {}) as Data
  const conversation = (d.conversation ?? {}) as Data
  const id = str(d.conversationId)
  const text = (() => {
    switch (action) {
      case 'v1.ConversationImported':
        return `Imported conversation ${quoted(conversation.title)} from ${str(conversation.source)} (${str(conversation.id)})`
      case 'v1.ConversationCreated':
        return `Created conversation ${quoted(conversation.title)} (${str(conversation.id)})`
      case 'v1.ConversationRenamed':
        return `Renamed conversation ${id} to ${quoted(d.title)}`
      case 'v1.ConversationStarred':
        return `Starred conversation ${id}`
      case 'v1.ConversationUnstarred':
        return `Unstarred conversation ${id}`
      case 'v1.ConversationTagged': {
        const tags = Array.isArray(d.tags) ? d.tags.map(String) : []
        return tags.length > 0
          ? `Tagged conversation ${id}: ${tags.join(', ')}`
          : `Removed the tags of conversation ${id}`
      }
      case 'v1.ConversationArchived':
        return `Archived conversation ${id}`
      case 'v1.ConversationUnarchived':
        return `Unarchived conversation ${id}`
      case 'v1.ConversationDeleted':
        return `Deleted conversation ${id} (can be restored)`
      case 'v1.ConversationRestored':
        return `Restored conversation ${id}`
      case 'v1.ConversationPurged':
        return `Purged conversation ${id} and its messages`
      case 'v1.MessagesAppended':
        return `Appended ${plural(count(d.messages), 'message')} to conversation ${id}`
      case 'v1.MessagesUpdated':
        return `Updated ${plural(count(d.messages), 'message')} in conversation ${id}`
      case 'v1.MessagesDeleted':
        return `Deleted ${plural(count(d.ids), 'message')} from conversation ${id}`
      case 'v1.DeviceRegistered':
        return `Registered device "${str(d.name)}" (${str(d.kind)}, ${str(d.platform)}, version ${str(d.appVersion)})`
      case 'v1.DeviceRenamed':
        return `Renamed device ${str(d.deviceId)} to "${str(d.name)}"`
      case 'v1.DeviceConnected':
        return `Device ${str(d.connectedDeviceId)} connected (client ${str(d.clientId)})`
      case 'v1.DeviceDisconnected':
        return `Device ${str(d.connectedDeviceId)} disconnected (client ${str(d.clientId)})`
      case 'v1.ImportStarted':
        return `Import started: ${plural(count(d.roots), 'source folder')}`
      case 'v1.ImportFinished':
        return `Import finished: ${importCounts(d)}`
      case 'v1.PricesChanged':
        return `Prices changed to ${str(d.source)} (${str(d.date)}, ${plural(Number(d.models) || 0, 'model')}); costs recomputed`
      case 'v1.BodiesPacked': {
        const n = count(d.bodies)
        const images = count(d.images) > 0 ? ` and ${plural(count(d.images), 'image')}` : ''
        return `Stored ${n} message ${n === 1 ? 'body' : 'bodies'}${images} on the sync worker (pack ${str(d.packAddress).slice(0, 12)})`
      }
      case 'v1.RemoteEventRefused':
        return `Refused an event from the sync worker (${str(d.refusedName)}): ${str(d.reason)}`
      default:
        return `${action.replace(/^v\d+\./, '')} event`
    }
  })()
  return oneLine(text)
}

/** The ids an event is about, most specific first. */
export function auditTargets(action: string, data: unknown): string[] {
  const d = (data ?? {}) as Data
  const conversation = (d.conversation ?? {}) as Data
  const ids = [
    str(d.conversationId) || str(conversation.id),
    action.startsWith('v1.Device') ? str(d.connectedDeviceId) || str(d.deviceId) : '',
    str(d.importId),
  ]
  return ids.filter((id) => id !== '')
}
