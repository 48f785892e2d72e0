/** Browsing: conversation lists with keyset pagination, one conversation's messages in order, and usage stats. */
import { sql, type Kysely, type Selectable } from 'kysely'
import type {
  ConversationSummary,
  Message,
  Page,
  RepositoryStats,
  Source,
  StatsGroup,
  UsageTotals,
} from '../../shared/domain'
import { fromSearchText } from '../../shared/search/search-text'
import { fail, ok, type Result } from '../../shared/result'
import { decodeCursor, encodeCursor } from './cursor'
import type { ConversationsTable, Database, MessagesTable } from './database-schema'
import { BODY_ELSEWHERE } from './body-states'

export const CONVERSATION_SORTS = ['lastActivity', 'created', 'cost', 'tokens', 'title'] as const
export type ConversationSort = (typeof CONVERSATION_SORTS)[number]

export interface ListConversationsQuery {
  readonly source?: Source
  readonly workspace?: string
  readonly model?: string
  readonly starred?: boolean
  readonly archived?: boolean
  readonly includeDeleted?: boolean
  readonly sort?: ConversationSort
  /** Defaults: newest, largest or A to Z first. */
  readonly direction?: 'asc' | 'desc'
  readonly limit?: number
  readonly cursor?: string | null
}

export interface ConversationWithMessages {
  readonly conversation: ConversationSummary
  readonly messages: Page<Message>
}

export type QueryErrorCode = 'INVALID_CURSOR'

const SORT_KEYS: Record<ConversationSort, ReturnType<typeof sql.raw>> = {
  lastActivity: sql.raw('c.last_activity_at'),
  created: sql.raw('c.created_at'),
  cost: sql.raw('c.cost'),
  tokens: sql.raw('(c.tokens_in + c.tokens_out)'),
  title: sql.raw('c.title COLLATE NOCASE'),
}

export const clampLimit = (limit: number | undefined, fallback: number, max: number): number =>
  Math.min(max, Math.max(1, Math.floor(limit ?? fallback)))

type ConversationRow = Selectable<ConversationsTable> & { message_count: number }

export function toConversationSummary(row: ConversationRow): ConversationSummary {
  return {
    id: row.id,
    source: row.source,
    sourceId: row.source_id,
    title: fromSearchText(row.title),
    workspace: row.workspace,
    model: row.model,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastActivityAt: row.last_activity_at,
    tokensIn: row.tokens_in,
    tokensOut: row.tokens_out,
    cacheReads: row.cache_reads,
    cacheWrites: row.cache_writes,
    cost: row.cost,
    unpriced: row.unpriced,
    parentId: row.parent_id,
    starred: row.starred === 1,
    archived: row.archived === 1,
    tags: JSON.parse(row.tags) as string[],
    deletedAt: row.deleted_at,
    messageCount: row.message_count,
  }
}

function toMessage(row: Selectable<MessagesTable>): Message {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    ordinal: row.ordinal,
    role: row.role,
    kind: row.kind,
    createdAt: row.created_at,
    text: fromSearchText(row.text),
    content: row.content === null ? null : (JSON.parse(row.content) as unknown),
    deviceId: row.device_id,
    parentId: row.parent_id,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    bodyElsewhere: row.body_state === BODY_ELSEWHERE,
    leftSourceAt: row.left_source_at,
  }
}

const messageCount = sql<number>`(SELECT count(*) FROM messages m WHERE m.conversation_id = c.id)`.as(
  'message_count',
)

export async function listConversations(
  db: Kysely<Database>,
  query: ListConversationsQuery,
): Promise<Result<Page<ConversationSummary>, QueryErrorCode>> {
  const sort = query.sort ?? 'lastActivity'
  const direction = query.direction ?? (sort === 'title' ? 'asc' : 'desc')
  const limit = clampLimit(query.limit, 50, 500)
  const key = SORT_KEYS[sort]
  const after = query.cursor ? decodeCursor(query.cursor, 2) : null
  if (query.cursor && !after)
    return fail('INVALID_CURSOR', 'This page cursor is not valid; start again from the first page.')

  let select = db
    .selectFrom('conversations as c')
    .selectAll('c')
    .select(messageCount)
    .select(sql<string | number>`${key}`.as('sort_value'))
  if (!query.includeDeleted) select = select.where('c.deleted_at', 'is', null)
  if (query.source) select = select.where('c.source', '=', query.source)
  if (query.workspace !== undefined) select = select.where('c.workspace', '=', query.workspace)
  if (query.model !== undefined) select = select.where('c.model', '=', query.model)
  if (query.starred !== undefined) select = select.where('c.starred', '=', query.starred ? 1 : 0)
  if (query.archived !== undefined) select = select.where('c.archived', '=', query.archived ? 1 : 0)
  if (after) {
    const op = sql.raw(direction === 'desc' ? '<' : '>')
    select = select.where(sql<boolean>`(${key}, c.id) ${op} (${after[0]}, ${after[1]})`)
  }
  const order = sql.raw(direction)
  const rows = await select
    .orderBy(sql`${key} ${order}`)
    .orderBy(sql`c.id ${order}`)
    .limit(limit + 1)
    .execute()
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return ok({
    items: page.map(toConversationSummary),
    nextCursor: rows.length > limit && last ? encodeCursor([last.sort_value, last.id]) : null,
  })
}

export async function getConversation(
  db: Kysely<Database>,
  id: string,
  /** `afterOrdinal` reads what came after a message already shown (the last page hands out no cursor). */
  options: { readonly cursor?: string | null; readonly limit?: number; readonly afterOrdinal?: number } = {},
): Promise<Result<ConversationWithMessages | null, QueryErrorCode>> {
  const limit = clampLimit(options.limit, 200, 1_000)
  const decoded = options.cursor ? decodeCursor(options.cursor, 1) : null
  if (options.cursor && (!decoded || typeof decoded[0] !== 'number')) {
    return fail('INVALID_CURSOR', 'This page cursor is not valid; start again from the first message.')
  }
  const after = decoded ? Number(decoded[0]) : options.afterOrdinal
  const row = await db
    .selectFrom('conversations as c')
    .selectAll('c')
    .select(messageCount)
    .where('c.id', '=', id)
    .executeTakeFirst()
  if (!row) return ok(null)
  let messages = db.selectFrom('messages').selectAll().where('conversation_id', '=', id)
  if (after !== undefined) messages = messages.where('ordinal', '>', after)
  const rows = await messages
    .orderBy('ordinal')
    .limit(limit + 1)
    .execute()
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return ok({
    conversation: toConversationSummary(row),
    messages: {
      items: page.map(toMessage),
      nextCursor: rows.length > limit && last ? encodeCursor([last.ordinal]) : null,
    },
  })
}

interface Totals {
  conversations: number
  messages: number
  tokensIn: number
  tokensOut: number
  cost: number
}

const emptyTotals = (): Totals => ({ conversations: 0, messages: 0, tokensIn: 0, tokensOut: 0, cost: 0 })

/** One pass over conversations and one index-only count of messages; grouping happens here, not in three scans. */
export async function repositoryStats(db: Kysely<Database>): Promise<RepositoryStats> {
  const conversations = await db
    .selectFrom('conversations')
    .select(['id', 'source', 'workspace', 'model', 'tokens_in', 'tokens_out', 'cost'])
    .where('deleted_at', 'is', null)
    .execute()
  const counts = await db
    .selectFrom('messages')
    .select(['conversation_id', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('conversation_id')
    .execute()
  const messagesPer = new Map(counts.map((c) => [c.conversation_id, c.n]))

  const totals = emptyTotals()
  const groups = {
    source: new Map<string, Totals>(),
    workspace: new Map<string, Totals>(),
    model: new Map<string, Totals>(),
  }
  for (const c of conversations) {
    const keys = { source: c.source, workspace: c.workspace ?? '(none)', model: c.model ?? '(unknown)' }
    for (const target of [
      totals,
      ...(['source', 'workspace', 'model'] as const).map((g) => groupFor(groups[g], keys[g])),
    ]) {
      target.conversations += 1
      target.messages += messagesPer.get(c.id) ?? 0
      target.tokensIn += c.tokens_in
      target.tokensOut += c.tokens_out
      target.cost += c.cost
    }
  }
  return {
    totals: totals satisfies UsageTotals,
    bySource: sortedGroups(groups.source),
    byWorkspace: sortedGroups(groups.workspace),
    byModel: sortedGroups(groups.model),
  }
}

function groupFor(map: Map<string, Totals>, key: string): Totals {
  let group = map.get(key)
  if (!group) map.set(key, (group = emptyTotals()))
  return group
}

function sortedGroups(map: Map<string, Totals>): StatsGroup[] {
  return [...map]
    .map(([key, t]) => ({ key, ...t }))
    .sort((a, b) => b.conversations - a.conversations || a.key.localeCompare(b.key))
}
