/**
 * Writes go through `Repository.write(origin, ...)`: one transaction that names its origin for the change feed.
 * Upserts compare before they write, so importing the same data twice writes nothing and appends no change.
 */
import {
  CompiledQuery,
  sql,
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type SqlBool,
  type Transaction,
} from 'kysely'
import type { EpochMs, MessageKind, Role, Source } from '../../shared/domain'
import type { PriceBook } from '../../shared/usage/pricing'
import type { ResponseUsage } from '../../shared/usage/response-usage'
import { toSearchText } from '../../shared/search/search-text'
import type { Database } from './database-schema'
import { upsertUsage } from './usage-writes'

/** Who wrote a change: recorded with every row of the feed so the bridge can skip its own writes (no echo). */
export type WriteOrigin = 'import' | 'ui' | 'sync' | 'cli' | 'bench' | 'bridge'

export interface ConversationInput {
  readonly id: string
  readonly source: Source
  readonly sourceId: string
  readonly title: string
  readonly workspace?: string | null
  readonly model?: string | null
  readonly createdAt: EpochMs
  readonly updatedAt?: EpochMs
  readonly lastActivityAt?: EpochMs
  readonly tokensIn?: number
  readonly tokensOut?: number
  readonly cacheReads?: number
  readonly cacheWrites?: number
  readonly cost?: number
  readonly parentId?: string | null
  readonly metadata?: Record<string, unknown>
}

export interface MessageInput {
  readonly id: string
  readonly conversationId: string
  readonly ordinal: number
  readonly role: Role
  readonly kind?: MessageKind
  readonly createdAt?: EpochMs | null
  /** The searchable text; the repository caps it and prepares it for the index. */
  readonly text: string
  /** Structured content; leave undefined when the message is exactly its text. */
  readonly content?: unknown
  readonly deviceId?: string | null
  readonly parentId?: string | null
  readonly metadata?: Record<string, unknown>
  /** The API response this message carries the figures of (usage-writes.ts counts each response once). */
  readonly usage?: ResponseUsage
}

/**
 * A device as far as one write knows it. A device can be seen (an event it made) before its registration
 * arrives, or without one: the fields it did not say are left as they are, and a new row takes its id for its
 * name and '' for the rest until it says them.
 */
export interface DeviceInput {
  readonly id: string
  readonly name?: string
  readonly platform?: string
  readonly kind?: string
  readonly appVersion?: string
  /** The earliest and latest it was seen in this write; the row keeps the earliest and latest ever. */
  readonly firstSeenAt: EpochMs
  readonly lastSeenAt: EpochMs
}

export interface RepositoryWriter {
  upsertConversations(rows: readonly ConversationInput[]): Promise<void>
  upsertMessages(rows: readonly MessageInput[]): Promise<void>
  /**
   * The responses these messages carry (usage-writes.ts), and their conversations' costs. Pass every message a
   * read holds, changed or not: a response is merged with what is held of it, and one held unchanged writes nothing.
   */
  upsertUsage(rows: readonly MessageInput[]): Promise<void>
  upsertDevice(device: DeviceInput): Promise<void>
}

// SQLite allows 32,766 bound values per statement; 500 rows of at most 20 columns stays well inside.
const CHUNK = 500

/** Rows in statement-sized parts (for writers that build their own statements, e.g. import/conversation-merge.ts). */
export function* chunks<T>(rows: readonly T[]): Generator<readonly T[]> {
  for (let i = 0; i < rows.length; i += CHUNK) yield rows.slice(i, i + CHUNK)
}

/**
 * Rows in parts of 256, 128, ..., 1, for a multi-row upsert whose SQL is made per row count and which is called
 * with many small, different counts: a statement per count would be compiled again and again (the repository keeps
 * 256, shared by every table; compiling a long multi-row upsert takes milliseconds), nine sizes stay kept. Usage
 * writes one conversation's responses at a time: 49.5 s for the bench import with a statement per count, 38.8 s
 * with these. Messages come in larger runs, where the parts' extra statements cost more than they save.
 */
export function* statementSizedParts<T>(rows: readonly T[]): Generator<readonly T[]> {
  let at = 0
  for (let size = 256; size >= 1; size /= 2)
    while (rows.length - at >= size) {
      yield rows.slice(at, at + size)
      at += size
    }
}

type Table = 'conversations' | 'messages'

/** `row.col IS NOT excluded.col OR ...`: an upsert only touches a row whose values really changed. */
function anyDiffers<T extends Table>(columns: readonly string[]) {
  return (eb: ExpressionBuilder<Database, T>): Expression<SqlBool> =>
    eb.or(columns.map((c) => sql<SqlBool>`${sql.ref(c)} IS NOT excluded.${sql.ref(c)}`))
}

function excludedSet(columns: readonly string[]): Record<string, ReturnType<typeof sql.raw>> {
  return Object.fromEntries(columns.map((c) => [c, sql.raw(`excluded.${c}`)]))
}

// Starred, archived, tags and deleted_at belong to the user: an import never overwrites them.
const IMPORTED_CONVERSATION_COLUMNS = [
  'source',
  'source_id',
  'title',
  'workspace',
  'model',
  'created_at',
  'updated_at',
  'last_activity_at',
  'tokens_in',
  'tokens_out',
  'cache_reads',
  'cache_writes',
  'cost',
  'parent_id',
  'metadata',
] as const

const MESSAGE_COLUMNS = [
  'conversation_id',
  'ordinal',
  'role',
  'kind',
  'created_at',
  'text',
  'content',
  'device_id',
  'parent_id',
  'metadata',
  // Written as NULL: a message an import writes is in its source (conversation-merge.ts marks the ones that left).
  'left_source_at',
  // Written as NULL: the body is this machine's now, whatever a preview or a fetch had put there (body-states.ts).
  'body_state',
] as const

/**
 * The message upsert as SQL text per row count, made once: imports write hundreds of thousands of messages, and
 * building the same 500-row statement with the query builder each time was a visible share of an import. The
 * parameters follow MESSAGE_INSERT_COLUMNS; an upsert writes only a row whose values changed, as above. A
 * message keeps the device it first came from: one synced from another device and then imported here too
 * stays that device's.
 */
const MESSAGE_INSERT_COLUMNS = ['id', ...MESSAGE_COLUMNS] as const
const messageUpsertSqls = new Map<number, string>()

function messageUpsertSql(rows: number): string {
  let text = messageUpsertSqls.get(rows)
  if (text === undefined) {
    const quoted = (c: string) => `"${c}"`
    const value = (c: string) =>
      c === 'device_id' ? `coalesce("device_id", excluded."device_id")` : `excluded.${quoted(c)}`
    const row = `(${MESSAGE_INSERT_COLUMNS.map(() => '?').join(', ')})`
    text =
      `INSERT INTO "messages" (${MESSAGE_INSERT_COLUMNS.map(quoted).join(', ')}) ` +
      `VALUES ${Array.from({ length: rows }, () => row).join(', ')} ` +
      `ON CONFLICT ("id") DO UPDATE SET ${MESSAGE_COLUMNS.map((c) => `${quoted(c)} = ${value(c)}`).join(', ')} ` +
      `WHERE ${MESSAGE_COLUMNS.map((c) => `${quoted(c)} IS NOT ${value(c)}`).join(' OR ')}`
    messageUpsertSqls.set(rows, text)
  }
  return text
}

/**
 * A conversation with usage rows costs what they cost (usage-writes.ts keeps it): the cost a source states for the
 * whole conversation counts only for one without them, so reading it again does not undo the sum.
 */
const conversationCost = sql<number>`CASE WHEN EXISTS (SELECT 1 FROM usage u WHERE u.conversation_id = conversations.id)
  THEN conversations.cost ELSE excluded.cost END`

export function makeWriter(trx: Transaction<Database>, prices: PriceBook): RepositoryWriter {
  return {
    async upsertConversations(rows) {
      for (const chunk of chunks(rows)) {
        await trx
          .insertInto('conversations')
          .values(
            chunk.map((c) => ({
              id: c.id,
              source: c.source,
              source_id: c.sourceId,
              title: toSearchText(c.title),
              workspace: c.workspace ?? null,
              model: c.model ?? null,
              created_at: c.createdAt,
              updated_at: c.updatedAt ?? c.createdAt,
              last_activity_at: c.lastActivityAt ?? c.updatedAt ?? c.createdAt,
              tokens_in: c.tokensIn ?? 0,
              tokens_out: c.tokensOut ?? 0,
              cache_reads: c.cacheReads ?? 0,
              cache_writes: c.cacheWrites ?? 0,
              cost: c.cost ?? 0,
              parent_id: c.parentId ?? null,
              metadata: JSON.stringify(c.metadata ?? {}),
            })),
          )
          .onConflict((oc) =>
            oc
              .column('id')
              .doUpdateSet({ ...excludedSet(IMPORTED_CONVERSATION_COLUMNS), cost: conversationCost })
              .where((eb) =>
                eb.or([
                  anyDiffers<'conversations'>(IMPORTED_CONVERSATION_COLUMNS.filter((c) => c !== 'cost'))(eb),
                  sql<SqlBool>`cost IS NOT ${conversationCost}`,
                ]),
              ),
          )
          .execute()
      }
    },
    async upsertMessages(rows) {
      for (const chunk of chunks(rows)) {
        const parameters: unknown[] = []
        for (const m of chunk)
          parameters.push(
            m.id,
            m.conversationId,
            m.ordinal,
            m.role,
            m.kind ?? 'text',
            m.createdAt ?? null,
            toSearchText(m.text),
            m.content === undefined ? null : JSON.stringify(m.content),
            m.deviceId ?? null,
            m.parentId ?? null,
            JSON.stringify(m.metadata ?? {}),
            null,
            null,
          )
        await trx.executeQuery(CompiledQuery.raw(messageUpsertSql(chunk.length), parameters))
      }
    },
    upsertUsage: (rows) => upsertUsage(trx, rows, prices),
    async upsertDevice(d) {
      const said = {
        ...(d.name !== undefined && { name: d.name }),
        ...(d.platform !== undefined && { platform: d.platform }),
        ...(d.kind !== undefined && { kind: d.kind }),
        ...(d.appVersion !== undefined && { app_version: d.appVersion }),
      }
      await trx
        .insertInto('devices')
        .values({
          id: d.id,
          name: d.id,
          platform: '',
          kind: '',
          app_version: '',
          ...said,
          first_seen_at: d.firstSeenAt,
          last_seen_at: d.lastSeenAt,
        })
        .onConflict((oc) =>
          oc.column('id').doUpdateSet({
            ...said,
            first_seen_at: sql<number>`min(first_seen_at, excluded.first_seen_at)`,
            last_seen_at: sql<number>`max(last_seen_at, excluded.last_seen_at)`,
          }),
        )
        .execute()
    },
  }
}

/**
 * One transaction, tagged with its origin for the change feed's triggers, reset before commit. The messages it adds
 * are indexed for search in one statement at the end, so that they make one index segment (migration 0013).
 */
export async function writeTransaction<T>(
  db: Kysely<Database>,
  prices: PriceBook,
  origin: WriteOrigin,
  work: (writer: RepositoryWriter, trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    const nextPk = sql<number>`(SELECT coalesce(max(pk), 0) + 1 FROM messages)`
    await trx.updateTable('write_origin').set({ origin, fts_from: nextPk }).where('id', '=', 1).execute()
    const result = await work(makeWriter(trx, prices), trx)
    await sql`INSERT INTO messages_fts (rowid, text)
      SELECT pk, text FROM messages WHERE pk >= (SELECT fts_from FROM write_origin WHERE id = 1)`.execute(trx)
    await trx.updateTable('write_origin').set({ origin: 'sql', fts_from: null }).where('id', '=', 1).execute()
    return result
  })
}
