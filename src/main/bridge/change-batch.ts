/**
 * Reads the change feed after a cursor and folds it into what changed per row: several changes to one row in a
 * tick become one (the row is read once, as it is now), and the bridge's own writes are skipped, because they
 * came from events already in the eventlog (no echo).
 */
import type { Kysely } from 'kysely'
import type { Database } from '../repository/database-schema'
import type { WriteOrigin } from '../repository/writes'

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

const STREAM_CHUNK_ROWS = 64

/** Messages per event: bounded so one event stays well under the sync transport's message size. */
export const MESSAGES_PER_EVENT = 500

/**
 * Writes that came from events, never made into events again (no echo): the bridge applying the eventlog, and the
 * message bodies fetched from another machine (bodies/body-downloader.ts), which that machine announced already.
 */
export const NOT_BRIDGED: readonly string[] = ['bridge', 'sync'] satisfies WriteOrigin[]

/**
 * The changes after `after`, at most `limit` rows, cut earlier where the events they make would exceed
 * `maxEvents` (counted from the changes alone, so no row is read twice).
 */
export async function readChangeBatch(
  db: Kysely<Database>,
  after: number,
  limit: number,
  maxEvents = Number.POSITIVE_INFINITY,
): Promise<ChangeBatch | null> {
  // Streamed: a tick usually ends after a few dozen rows, long before `limit`, and the rest is never read.
  const rows = db
    .selectFrom('changes')
    .select(['seq', 'entity', 'entity_id', 'op', 'origin', 'data'])
    .where('seq', '>', after)
    .orderBy('seq')
    .limit(limit)
    .stream(STREAM_CHUNK_ROWS)
  const budget = makeEventBudget(maxEvents)
  let lastSeq = after
  const folded = { conversation: new Map<string, RowChange>(), message: new Map(), device: new Map() }
  // Whether each row was there before this tick: what its changes come to depends on it (foldOp).
  const existedBefore = new Map<string, boolean>()
  for await (const row of rows) {
    if (NOT_BRIDGED.includes(row.origin)) {
      lastSeq = row.seq
      continue
    }
    const data = row.data ? (JSON.parse(row.data) as ChangeData) : {}
    const byId: Map<string, RowChange> = folded[row.entity]
    const earlier = byId.get(row.entity_id)
    const key = `${row.entity}\0${row.entity_id}`
    const existed = existedBefore.get(key) ?? row.op !== 'insert'
    const op = foldOp(existed, row.op)
    const columns = row.op === 'update' ? new Set(data.columns ?? []) : ALL_COLUMNS
    const change: RowChange = {
      id: row.entity_id,
      op: op ?? 'deleted',
      columns: earlier && row.op === 'update' ? new Set([...earlier.columns, ...columns]) : columns,
      writer: row.origin,
      conversationId: data.conversation_id ?? earlier?.conversationId ?? null,
    }
    if (!budget.admit(row, change) && lastSeq > after) break
    lastSeq = row.seq
    existedBefore.set(key, existed)
    // A row made and removed within the tick never reached the other side: there is nothing to tell it.
    if (op === null) byId.delete(row.entity_id)
    else byId.set(row.entity_id, change)
  }
  if (lastSeq === after) return null
  return {
    lastSeq,
    conversations: [...folded.conversation.values()],
    messages: [...folded.message.values()],
    devices: [...folded.device.values()],
  }
}

/**
 * What a row's changes in one tick come to on the other side, which saw the row as it was before the tick: new if
 * it was not there and is now, changed if it was and is, gone if it was and is not, and nothing at all if it came
 * and went within the tick. Exact, because the events count messages (see the materializers): a row deleted and
 * inserted again is a change, not a second message.
 */
function foldOp(existedBefore: boolean, last: 'insert' | 'update' | 'delete'): RowChange['op'] | null {
  if (last === 'delete') return existedBefore ? 'deleted' : null
  return existedBefore ? 'updated' : 'inserted'
}

export const touches = (change: RowChange, column: string): boolean =>
  change.columns.has('*') || change.columns.has(column)

/**
 * A conversation's column that no event carries: its source's own details stay on the device that read them. A
 * change to it alone tells other devices nothing (the same session imported on a second device, over the row that
 * the first device's events made, changes only this), so it makes no event.
 */
export const UNCARRIED_CONVERSATION_COLUMN = 'metadata'

/** Whether an update changed a column that the conversation's metadata event carries. */
export const changesCarriedMetadata = (change: RowChange, flagsAndTitle: ReadonlySet<string>): boolean =>
  change.columns.has('*') ||
  [...change.columns].some((c) => !flagsAndTitle.has(c) && c !== UNCARRIED_CONVERSATION_COLUMN)

/**
 * Counts the events a tick's changes make (see events-from-changes.ts), as the changes are folded: per
 * conversation, its metadata event (or a rename), one event per flag that changed, or its purge; per conversation
 * and kind of message change, one event per MESSAGES_PER_EVENT messages. Exact for updates and deletes, whose
 * changed columns the feed names; a new row is counted as one event, though it may also carry flags that are not
 * the defaults: the tick reads the rows and cuts again in that rare case (bridge-tick.ts).
 */
function makeEventBudget(maxEvents: number) {
  const conversations = new Map<string, number>()
  const messages = new Map<string, number>()
  let used = 0
  return {
    /** Takes the change into the count if the tick stays within budget with it. */
    admit(row: { entity: string; op: string }, folded: RowChange): boolean {
      if (row.entity === 'device') return true
      if (row.entity === 'conversation') {
        const before = conversations.get(folded.id) ?? 0
        const after = conversationEventCount(folded)
        if (used - before + after > maxEvents) return false
        conversations.set(folded.id, after)
        used += after - before
        return true
      }
      const key = `${folded.conversationId ?? ''}\0${row.op}`
      const count = (messages.get(key) ?? 0) + 1
      const extra = (count - 1) % MESSAGES_PER_EVENT === 0 ? 1 : 0
      if (used + extra > maxEvents) return false
      messages.set(key, count)
      used += extra
      return true
    },
  }
}

const FLAGS = ['starred', 'archived', 'tags', 'deleted_at'] as const
const FLAG_OR_TITLE = new Set<string>([...FLAGS, 'title'])

function conversationEventCount(change: RowChange): number {
  if (change.op !== 'updated') return 1
  const metadata = changesCarriedMetadata(change, FLAG_OR_TITLE) || change.columns.has('title')
  return (metadata ? 1 : 0) + FLAGS.filter((flag) => change.columns.has(flag)).length
}
