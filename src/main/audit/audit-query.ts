/**
 * Reads the hub's eventlog for the audit trail: filtered, in sequence order, a page at a time (each page is a
 * short read, so an export of a million events never holds the database from the hub, the bridge or an import),
 * and never past the head it started at, so an export is one consistent snapshot.
 */
import { sql, type Kysely, type SqlBool, type Expression } from 'kysely'
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

type Where = Expression<SqlBool>

function conditions(filters: AuditFilters): Where[] {
  const at = sql<number>`json_extract(args, '$.at')`
  const out: Where[] = []
  if (filters.since !== undefined) out.push(sql<SqlBool>`${at} >= ${filters.since}`)
  if (filters.until !== undefined) out.push(sql<SqlBool>`${at} <= ${filters.until}`)
  if (filters.deviceId !== undefined)
    out.push(sql<SqlBool>`json_extract(args, '$.deviceId') = ${filters.deviceId}`)
  if (filters.action !== undefined) out.push(sql<SqlBool>`name = ${actionName(filters.action)}`)
  if (filters.conversationId !== undefined)
    out.push(
      sql<SqlBool>`coalesce(json_extract(args, '$.conversationId'), json_extract(args, '$.conversation.id')) = ${filters.conversationId}`,
    )
  return out
}

export interface AuditReader {
  /** The hub's head when the reader was made: nothing after it is read. */
  readonly head: number
  count(): Promise<number>
  pages(pageSize?: number): AsyncGenerator<AuditEntry[]>
}

export async function openAuditReader(db: Kysely<Database>, filters: AuditFilters): Promise<AuditReader> {
  const where = conditions(filters)
  const headRow = await db
    .selectFrom('hub_events')
    .select((eb) => eb.fn.max('seq').as('head'))
    .executeTakeFirst()
  const head = headRow?.head ?? 0
  const filtered = () =>
    db
      .selectFrom('hub_events as e')
      .where('e.seq', '<=', head)
      .where((eb) => eb.and(where))
  return {
    head,
    async count() {
      const row = await filtered()
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst()
      return row?.n ?? 0
    },
    async *pages(pageSize = 2_000) {
      let cursor = 0
      for (;;) {
        const rows = await filtered()
          .where('e.seq', '>', cursor)
          .select([
            'e.seq',
            'e.name',
            'e.args',
            'e.client_id',
            'e.session_id',
            'e.accepted_at',
            'e.hash',
            sql<string | null>`(SELECT p.hash FROM hub_events p WHERE p.seq = e.seq - 1)`.as('prev_hash'),
          ])
          .orderBy('e.seq')
          .limit(pageSize)
          .execute()
        if (rows.length > 0)
          yield rows.map((r) => ({
            seq: r.seq,
            name: r.name,
            args: r.args,
            clientId: r.client_id,
            sessionId: r.session_id,
            acceptedAt: r.accepted_at,
            prevHash: r.prev_hash ?? GENESIS_HASH,
            hash: r.hash,
          }))
        const last = rows.at(-1)
        if (!last || rows.length < pageSize) return
        cursor = last.seq
      }
    },
  }
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
