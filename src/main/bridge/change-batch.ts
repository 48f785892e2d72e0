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

/** What the change feed's triggers put in `changes.data` (migration 0002). */
interface ChangeData {
  readonly conversation_id?: string
  readonly columns?: string[]
}

/** Messages per event: bounded so one event stays well under the sync transport's message size. */
export const MESSAGES_PER_EVENT = 500

/**
 * The changes after `after`, at most `limit` rows, cut earlier where the events they make would exceed
 * `maxEvents` (an upper bound computed from the changes alone, so no row is read twice).
 */
export async function readChangeBatch(
  db: Kysely<Database>,
  after: number,
  limit: number,
  maxEvents = Number.POSITIVE_INFINITY,
): Promise<ChangeBatch | null> {
  const rows = await db
    .selectFrom('changes')
    .select(['seq', 'entity', 'entity_id', 'op', 'origin', 'data'])
    .where('seq', '>', after)
    .orderBy('seq')
    .limit(limit)
    .execute()
  if (rows.length === 0) return null
  const budget = makeEventBudget(maxEvents)
  let lastSeq = after
  const folded = { conversation: new Map<string, RowChange>(), message: new Map(), device: new Map() }
  for (const row of rows) {
    if (row.origin === 'bridge') {
      lastSeq = row.seq
      continue
    }
    const data = row.data ? (JSON.parse(row.data) as ChangeData) : {}
    if (!budget.admit(row, data) && lastSeq > after) break
    lastSeq = row.seq
    const byId: Map<string, RowChange> = folded[row.entity]
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
    lastSeq,
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

/**
 * Counts, per conversation, the events its changes can make at most (see events-from-changes.ts): its metadata
 * and five flags, and per kind of message change one event per MESSAGES_PER_EVENT messages.
 */
function makeEventBudget(maxEvents: number) {
  const slots = new Map<string, number>()
  const messages = new Map<string, number>()
  let used = 0
  return {
    admit(row: { entity: string; entity_id: string; op: string }, data: ChangeData): boolean {
      const conversation = row.entity === 'message' ? (data.conversation_id ?? '') : row.entity_id
      let extra = 0
      if (row.entity === 'conversation' && !slots.has(conversation)) extra = CONVERSATION_EVENTS
      if (row.entity === 'message') {
        const key = `${conversation}\0${row.op}`
        const count = (messages.get(key) ?? 0) + 1
        if ((count - 1) % MESSAGES_PER_EVENT === 0) extra = 1
        if (used + extra > maxEvents) return false
        messages.set(key, count)
      }
      if (used + extra > maxEvents) return false
      if (row.entity === 'conversation') slots.set(conversation, CONVERSATION_EVENTS)
      used += extra
      return true
    },
  }
}

/** A conversation row's change makes at most its metadata event and one event per flag. */
const CONVERSATION_EVENTS = 6
