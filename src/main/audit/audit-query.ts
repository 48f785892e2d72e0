/**
 * Reads the hub's eventlog for the audit trail: filtered, in sequence order, a page at a time (each page is a
 * short read, so an export of a million events never holds the database from the hub, the bridge or an import),
 * and never past the head it started at, so an export is one consistent snapshot.
 */
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely'
import { AUDIT_ACTIONS } from '../../shared/audit/audit-actions'
import type { Database } from '../repository/database-schema'
import { GENESIS_HASH } from '../hub/event-hash'

export interface AuditFilters {
  /** Epoch milliseconds, inclusive, compared with the event's own time. */
  readonly since?: number
  readonly until?: number
  readonly deviceId?: string
  /** An event name, with or without its version prefix: ConversationRenamed or v1.ConversationRenamed. */
  readonly action?: string
  readonly conversationId?: string
}

export interface AuditEntry {
  readonly seq: number
  readonly name: string
  readonly args: string
  readonly clientId: string
  readonly sessionId: string
  readonly acceptedAt: number
  readonly prevHash: string
  readonly hash: string
  /** Who the hub authenticated as the pusher (`kind:device`), or '' for events from before it recorded that. */
  readonly pushedBy: string
}

export class AuditFilterError extends Error {}

/** The full event name for a filter value, or a clear error naming the actions there are. */
export function actionName(action: string): string {
  const name = /^v\d+\./.test(action) ? action : `v1.${action}`
  if (!AUDIT_ACTIONS.includes(name))
    throw new AuditFilterError(
      `unknown action "${action}"; actions are ${AUDIT_ACTIONS.map((a) => a.replace(/^v1\./, '')).join(', ')}`,
    )
  return name
}

export type Where = Expression<SqlBool>

/**
 * The conversation a hub_events row is about (`args` of the row in scope): an edit's `conversationId`, an import's
 * `conversation.id`. The audit filter and the overrides (overrides.ts) both read it here.
 */
export const conversationOfEvent = sql<
  string | null
>`coalesce(json_extract(args, '$.conversationId'), json_extract(args, '$.conversation.id'))`

/** The filters as SQL conditions on hub_events (built once, used for every window and page). */
export function conditions(filters: AuditFilters): Where[] {
  const at = sql<number>`json_extract(args, '$.at')`
  const out: Where[] = []
  if (filters.since !== undefined) out.push(sql<SqlBool>`${at} >= ${filters.since}`)
  if (filters.until !== undefined) out.push(sql<SqlBool>`${at} <= ${filters.until}`)
  if (filters.deviceId !== undefined)
    out.push(sql<SqlBool>`json_extract(args, '$.deviceId') = ${filters.deviceId}`)
  if (filters.action !== undefined) out.push(sql<SqlBool>`name = ${actionName(filters.action)}`)
  if (filters.conversationId !== undefined)
    out.push(sql<SqlBool>`${conversationOfEvent} = ${filters.conversationId}`)
  return out
}

/** A stretch of the eventlog by sequence number: after `after`, up to and including `to`. */
export interface SeqWindow {
  readonly after: number
  readonly to: number
}

/** Sequence numbers per window: a window is read, formatted and written as one piece. */
export const WINDOW_SEQS = 500

/** The newest sequence number in the eventlog (0 when empty). */
export async function eventlogHead(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('hub_events')
    .select((eb) => eb.fn.max('seq').as('head'))
    .executeTakeFirst()
  return row?.head ?? 0
}

export interface AuditReader {
  /** The hub's head when the reader was made: nothing after it is read. */
  readonly head: number
  count(): Promise<number>
  /** The windows that cover the eventlog up to the head, in order. */
  windows(size?: number): Generator<SeqWindow>
}

export async function openAuditReader(db: Kysely<Database>, filters: AuditFilters): Promise<AuditReader> {
  const where = conditions(filters)
  const head = await eventlogHead(db)
  return {
    head,
    async count() {
      // Without filters every sequence number up to the head is there; counting would read the whole table.
      if (where.length === 0) return head
      const row = await db
        .selectFrom('hub_events')
        .where('seq', '<=', head)
        .where((eb) => eb.and(where))
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst()
      return row?.n ?? 0
    },
    *windows(size = WINDOW_SEQS) {
      for (let after = 0; after < head; after += size) yield { after, to: Math.min(after + size, head) }
    },
  }
}

/**
 * The entries of one window that pass the filters, each with the hash of the entry before it (the previous row's
 * when they are consecutive, else looked up, for the whole window in one query). A short read: nothing holds
 * the database from the hub, the bridge or an import for long.
 */
export async function readWindow(
  db: Kysely<Database>,
  where: readonly Where[],
  window: SeqWindow,
): Promise<AuditEntry[]> {
  const rows = await db
    .selectFrom('hub_events')
    .select([
      'seq',
      'name',
      'args',
      'client_id',
      'session_id',
      'accepted_at',
      'hash',
      'pushed_by_kind',
      'pushed_by_device',
    ])
    .where('seq', '>', window.after)
    .where('seq', '<=', window.to)
    .where((eb) => eb.and(where))
    .orderBy('seq')
    .execute()
  const known = new Map<number, string>()
  for (const r of rows) known.set(r.seq, r.hash)
  const unknown = rows.map((r) => r.seq - 1).filter((seq) => seq > 0 && !known.has(seq))
  if (unknown.length > 0)
    for (const r of await db
      .selectFrom('hub_events')
      .select(['seq', 'hash'])
      .where('seq', 'in', unknown)
      .execute())
      known.set(r.seq, r.hash)
  return rows.map((r) => toEntry(r, known.get(r.seq - 1)))
}

type EntryRow = Pick<
  Database['hub_events'],
  | 'seq'
  | 'name'
  | 'args'
  | 'client_id'
  | 'session_id'
  | 'accepted_at'
  | 'hash'
  | 'pushed_by_kind'
  | 'pushed_by_device'
>

const toEntry = (r: EntryRow, prevHash: string | null | undefined): AuditEntry => ({
  seq: r.seq,
  name: r.name,
  args: r.args,
  clientId: r.client_id,
  sessionId: r.session_id,
  acceptedAt: r.accepted_at,
  prevHash: prevHash ?? GENESIS_HASH,
  hash: r.hash,
  pushedBy: r.pushed_by_kind === null ? '' : `${r.pushed_by_kind}:${r.pushed_by_device ?? ''}`,
})

/**
 * The newest entries before `before` (exclusive; the whole log without it) that pass the filters, newest first:
 * a page of the audit view, read from the end of the log.
 */
export async function readLatest(
  db: Kysely<Database>,
  filters: AuditFilters,
  before: number | undefined,
  limit: number,
): Promise<AuditEntry[]> {
  const where = conditions(filters)
  const rows = await db
    .selectFrom('hub_events as e')
    .select([
      'e.seq',
      'e.name',
      'e.args',
      'e.client_id',
      'e.session_id',
      'e.accepted_at',
      'e.hash',
      'e.pushed_by_kind',
      'e.pushed_by_device',
      sql<string | null>`(SELECT p.hash FROM hub_events p WHERE p.seq = e.seq - 1)`.as('prev_hash'),
    ])
    .$if(before !== undefined, (q) => q.where('e.seq', '<', before ?? 0))
    .where((eb) => eb.and(where))
    .orderBy('e.seq', 'desc')
    .limit(limit)
    .execute()
  return rows.map((r) => toEntry(r, r.prev_hash))
}

/** Every device's latest name, from its registration and rename events. */
export async function deviceNames(db: Kysely<Database>): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('hub_events')
    .select([
      sql<string>`json_extract(args, '$.deviceId')`.as('deviceId'),
      sql<string>`json_extract(args, '$.name')`.as('name'),
    ])
    .where('name', 'in', ['v1.DeviceRegistered', 'v1.DeviceRenamed'])
    .orderBy('seq')
    .execute()
  return new Map(rows.map((r) => [r.deviceId, r.name]))
}
