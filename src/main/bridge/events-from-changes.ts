/**
 * Turns one folded change batch into few events: per conversation, its metadata (or the one flag that changed),
 * then its new, changed and removed messages, each kind in one event (split only when very large). Rows are read
 * as they are now, so a row changed five times in a tick is sent once, with its latest values.
 */
import type { Kysely } from 'kysely'
import type { EventMeta } from '../../shared/livestore/event-meta'
import {
  events,
  PREVIEW_CHARS,
  type ConversationFields,
  type MessageRow,
  type ResponseUsageRow,
} from '../../shared/livestore/events'
import { fromSearchText } from '../../shared/search/search-text'
import type { Database } from '../repository/database-schema'
import { toConversationSummary } from '../repository/conversation-queries'
import {
  changesCarriedMetadata,
  MESSAGES_PER_EVENT,
  touches,
  type ChangeBatch,
  type RowChange,
} from './change-batch'

/** What LiveStore's commit takes: an event made by one of the schema's event definitions. */
export type BridgeEvent = ReturnType<(typeof events)[keyof typeof events]>

/** Who and when, for every event of one tick; sqlSeq is the batch's end, the cursor these events carry. */
type BridgeMeta = EventMeta & { readonly sqlSeq: number }

const FLAG_COLUMNS = new Set(['title', 'starred', 'archived', 'tags', 'deleted_at'])

export async function eventsFromChanges(
  db: Kysely<Database>,
  batch: ChangeBatch,
  deviceId: string,
  now: () => number,
): Promise<BridgeEvent[]> {
  const at = now()
  const meta = (writer: string): BridgeMeta => ({
    at,
    deviceId,
    actor: writer === 'import' ? 'importer' : writer,
    origin: writer === 'import' ? 'import' : 'sql',
    sqlSeq: batch.lastSeq,
  })
  const out: BridgeEvent[] = []
  const conversationRows = await readConversations(
    db,
    batch.conversations.map((c) => c.id),
  )
  const messagesByConversation = groupBy(batch.messages, (m) => m.conversationId ?? '')
  const messageRows = await readMessages(
    db,
    batch.messages.map((m) => m.id),
  )
  const conversationChanges = new Map(batch.conversations.map((c) => [c.id, c]))
  const conversationIds = new Set([...conversationChanges.keys(), ...messagesByConversation.keys()])

  for (const conversationId of conversationIds) {
    const change = conversationChanges.get(conversationId)
    const row = conversationRows.get(conversationId)
    if (change && row) out.push(...conversationEvents(change, row, meta(change.writer)))
    const changes = messagesByConversation.get(conversationId) ?? []
    const appended: MessageRow[] = []
    const updated: MessageRow[] = []
    const deleted: string[] = []
    let writer = change?.writer ?? 'sql'
    for (const message of changes) {
      writer = message.writer
      const current = messageRows.get(message.id)
      if (!current) deleted.push(message.id)
      else (message.op === 'inserted' ? appended : updated).push(current)
    }
    for (const messages of chunks(appended))
      out.push(events.messagesAppended({ ...meta(writer), conversationId, messages }))
    for (const messages of chunks(updated))
      out.push(events.messagesUpdated({ ...meta(writer), conversationId, messages }))
    // A purged conversation takes its messages with it: one event says both.
    const purged = change !== undefined && row === undefined
    if (deleted.length > 0 && !purged)
      out.push(events.messagesDeleted({ ...meta(writer), conversationId, ids: deleted }))
    if (purged) out.push(events.conversationPurged({ ...meta(change.writer), conversationId }))
  }
  return out
}

type ConversationRow = Awaited<ReturnType<typeof readConversations>> extends Map<string, infer R> ? R : never

function conversationEvents(change: RowChange, row: ConversationRow, meta: BridgeMeta): BridgeEvent[] {
  const out: BridgeEvent[] = []
  const conversationId = row.id
  const other = changesCarriedMetadata(change, FLAG_COLUMNS)
  if (other || change.op === 'inserted')
    out.push(events.conversationImported({ ...meta, conversation: fieldsOf(row) }))
  else if (touches(change, 'title'))
    out.push(events.conversationRenamed({ ...meta, conversationId, title: fromSearchText(row.title) }))
  const fresh = change.op === 'inserted'
  // A new row says its flags only when they are not the defaults; a changed row says the ones that changed.
  if (fresh ? row.starred === 1 : touches(change, 'starred'))
    out.push(
      (row.starred ? events.conversationStarred : events.conversationUnstarred)({ ...meta, conversationId }),
    )
  if (fresh ? row.archived === 1 : touches(change, 'archived'))
    out.push(
      (row.archived ? events.conversationArchived : events.conversationUnarchived)({
        ...meta,
        conversationId,
      }),
    )
  if (fresh ? row.tags !== '[]' : touches(change, 'tags'))
    out.push(events.conversationTagged({ ...meta, conversationId, tags: JSON.parse(row.tags) as string[] }))
  if (fresh ? row.deleted_at !== null : touches(change, 'deleted_at'))
    out.push(
      (row.deleted_at === null ? events.conversationRestored : events.conversationDeleted)({
        ...meta,
        conversationId,
      }),
    )
  return out
}

/** The conversation's metadata as events carry it: its summary without counts and flags (their own events). */
function fieldsOf(row: ConversationRow): ConversationFields {
  const {
    starred: _s,
    archived: _a,
    tags: _t,
    deletedAt: _d,
    messageCount: _m,
    ...fields
  } = toConversationSummary({
    ...row,
    message_count: 0,
  })
  return fields
}

/**
 * The first characters of a message, on one line. A copy, not a slice: V8 keeps the whole string a slice was cut
 * from, and previews stay in memory as long as LiveStore keeps the events that carry them.
 */
export const previewOf = (text: string): string =>
  ownCopy(
    fromSearchText(text.slice(0, PREVIEW_CHARS * 4))
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, PREVIEW_CHARS),
  )

/** The string's characters in a string of their own (JSON keeps lone surrogates, which a cut can leave). */
const ownCopy = (text: string): string => JSON.parse(JSON.stringify(text)) as string

const IN_CHUNK = 500

async function readConversations(db: Kysely<Database>, ids: readonly string[]) {
  const rows = new Map<string, Awaited<ReturnType<typeof selectConversations>>[number]>()
  for (const part of chunks(ids, IN_CHUNK))
    for (const row of await selectConversations(db, part)) rows.set(row.id, row)
  return rows
}

const selectConversations = (db: Kysely<Database>, ids: readonly string[]) =>
  db.selectFrom('conversations').selectAll().where('id', 'in', ids).execute()

async function readMessages(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, MessageRow>> {
  const rows = new Map<string, MessageRow>()
  for (const part of chunks(ids, IN_CHUNK)) {
    const found = await db
      .selectFrom('messages')
      .select([
        'id',
        'ordinal',
        'role',
        'kind',
        'created_at',
        'conversation_id',
        (eb) => eb.fn('substr', ['text', eb.val(1), eb.val(PREVIEW_CHARS * 4)]).as('head'),
      ])
      .where('id', 'in', part)
      .execute()
    const usage = await readUsage(db, part, [...new Set(found.map((m) => m.conversation_id))])
    for (const m of found) {
      const carried = usage.get(m.id)
      rows.set(m.id, {
        id: m.id,
        ordinal: m.ordinal,
        role: m.role,
        kind: m.kind,
        createdAt: m.created_at,
        preview: previewOf(String(m.head ?? '')),
        ...(carried && { usage: carried }),
      })
    }
  }
  return rows
}

/**
 * The responses these messages carry, as events say them: the counts and a logged cost, not the computed cost,
 * which every device computes with its own prices. Looked up within the messages' conversations (the table's own
 * order) rather than by message id (an index it would need only for this).
 */
async function readUsage(
  db: Kysely<Database>,
  messageIds: readonly string[],
  conversationIds: readonly string[],
): Promise<Map<string, ResponseUsageRow>> {
  const out = new Map<string, ResponseUsageRow>()
  if (conversationIds.length === 0) return out
  const rows = await db
    .selectFrom('usage')
    .selectAll()
    .where('conversation_id', 'in', conversationIds)
    .where('message_id', 'in', messageIds)
    .execute()
  for (const u of rows)
    out.set(u.message_id, {
      responseKey: u.response_key,
      model: u.model === '' ? null : u.model,
      tokensIn: u.tokens_in,
      tokensOut: u.tokens_out,
      cacheWrites: u.cache_writes,
      cacheWrites1h: u.cache_writes_1h,
      cacheReads: u.cache_reads,
      loggedCost: u.logged_cost,
    })
  return out
}

function chunks<T>(items: readonly T[], size = MESSAGES_PER_EVENT): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const k = key(item)
    const group = groups.get(k)
    if (group) group.push(item)
    else groups.set(k, [item])
  }
  return groups
}
