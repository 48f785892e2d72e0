/**
 * Reads the change feed after a cursor and folds it into what changed per row: several changes to one row in a
 * tick become one (the row is read once, as it is now), and the bridge's own writes are skipped, because they
 * came from events already in the eventlog (no echo).
 */
import type { Kysely } from 'kysely'
import type { Database } from '../repository/database-schema'

export interface RowChange {
  readonly id: string
  /** inserted: the row is new in this tick; updated: it existed; deleted: it is gone (as far as the feed says). */
  readonly op: 'inserted' | 'updated' | 'deleted'
  /** Columns an update changed (all of them for an insert). */
  readonly columns: ReadonlySet<string>
  /** The writer that made the last of these changes ('import', 'sql', 'cli', ...). */
  readonly writer: string
  /** For messages: the conversation they belong to. */
  readonly conversationId: string | null
}

export interface ChangeBatch {
  /** The highest sequence number read, bridge writes included: where the next batch starts. */
  readonly lastSeq: number
  readonly conversations: readonly RowChange[]
  readonly messages: readonly RowChange[]
  readonly devices: readonly RowChange[]
}

const ALL_COLUMNS = new Set(['*'])

export async function readChangeBatch(
  db: Kysely<Database>,
  after: number,
  limit: number,
): Promise<ChangeBatch | null> {
  const rows = await db
    .selectFrom('changes')
    .select(['seq', 'entity', 'entity_id', 'op', 'origin', 'data'])
    .where('seq', '>', after)
    .orderBy('seq')
    .limit(limit)
    .execute()
  const last = rows.at(-1)
  if (!last) return null
  const folded = { conversation: new Map<string, RowChange>(), message: new Map(), device: new Map() }
  for (const row of rows) {
    if (row.origin === 'bridge') continue
    const byId: Map<string, RowChange> = folded[row.entity]
    const data = row.data ? (JSON.parse(row.data) as { conversation_id?: string; columns?: string[] }) : {}
    const earlier = byId.get(row.entity_id)
    const columns = row.op === 'update' ? new Set(data.columns ?? []) : ALL_COLUMNS
    byId.set(row.entity_id, {
      id: row.entity_id,
      op: foldOp(earlier?.op, row.op),
      columns: earlier ? new Set([...earlier.columns, ...columns]) : columns,
      writer: row.origin,
      conversationId: data.conversation_id ?? earlier?.conversationId ?? null,
    })
  }
  return {
    lastSeq: last.seq,
    conversations: [...folded.conversation.values()],
    messages: [...folded.message.values()],
    devices: [...folded.device.values()],
  }
}

/** An insert followed by updates is still new; anything followed by a delete is gone; a delete then an insert is new. */
function foldOp(earlier: RowChange['op'] | undefined, op: 'insert' | 'update' | 'delete'): RowChange['op'] {
  if (op === 'delete') return 'deleted'
  if (op === 'insert') return earlier === 'deleted' || earlier === undefined ? 'inserted' : 'updated'
  return earlier === 'inserted' ? 'inserted' : earlier === 'deleted' ? 'inserted' : 'updated'
}

export const touches = (change: RowChange, column: string): boolean =>
  change.columns.has('*') || change.columns.has(column)
