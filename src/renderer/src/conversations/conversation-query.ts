/**
 * The conversation list's questions to the page's store: which conversations (filters) in which order (sort), the
 * values the filters offer, and the rows in view. The store re-answers each when the table changes.
 */
import { queryDb, Schema } from '@livestore/livestore'
import type { ListFilters } from '../../../shared/livestore/library-view'
import { tables } from '../../../shared/livestore/schema'

export const LIST_SORTS = [
  ['lastActivityAt', 'Last activity'],
  ['createdAt', 'Created'],
  ['cost', 'Cost'],
  ['tokens', 'Tokens'],
] as const
export type ListSort = (typeof LIST_SORTS)[number][0]

/** Which shelf: everything current, the starred ones, the archive, or the trash (soft-deleted, restorable). */
export const SHELVES = [
  ['all', 'All'],
  ['starred', 'Starred'],
  ['archived', 'Archived'],
  ['deleted', 'Trash'],
] as const
export type Shelf = (typeof SHELVES)[number][0]

// Kept in the page's store as this window's library view, so the filters survive a reload.
export { NO_FILTERS, type ListFilters } from '../../../shared/livestore/library-view'

/**
 * The shelves' conditions. The unary `+` keeps SQLite from answering them through a filter menu's index, which
 * would then sort every row; the list walks its own covering index in order instead (tables.ts).
 */
const SHELF_WHERE: Record<Shelf, string> = {
  all: '+deletedAt IS NULL AND +archived = 0',
  starred: '+deletedAt IS NULL AND +starred = 1',
  archived: '+deletedAt IS NULL AND +archived = 1',
  deleted: '+deletedAt > 0',
}

/**
 * A figure of the conversation with its sub-agents' (those the same filters list), as its row shows it folded:
 * sorting by cost puts a session that spent its money through sub-agents where its row's figure says. In the
 * subquery the filters' unqualified columns name the child (SQLite resolves a name in the innermost query first).
 */
const withChildren = (column: string, where: string) =>
  `(${column} + (SELECT total(${column}) FROM conversations AS child WHERE child.parentId = conversations.id AND ${where}))`

// Rows that tie (same cost, say) are ordered by id, so they keep one order on every run; by last activity the
// index's own order (activity, then the rest of its columns) does that without sorting.
const orderBy = (sort: ListSort, where: string): string => {
  if (sort === 'lastActivityAt') return 'lastActivityAt DESC'
  if (sort === 'createdAt') return 'createdAt DESC, id'
  if (sort === 'cost') return `${withChildren('cost', where)} DESC, id`
  return `${withChildren('tokensOut', where)} DESC, ${withChildren('tokensIn', where)} DESC, id`
}

/** One conversation as the list orders and groups it; the rows in view are read in full by conversationsById$. */
export interface ListRow {
  readonly id: string
  readonly workspace: string | null
  readonly lastActivityAt: number
}

const ListAnswer = Schema.Array(Schema.Struct({ rows: Schema.String }))

/**
 * The list's order as one JSON text of `[id, workspace, lastActivityAt]` triples, one row in all. A store answers
 * ten thousand rows of three columns in about 35 ms (each cell crosses from WebAssembly and is decoded) and one
 * such text in about 6 from the covering index; it compares one string to know the list did not change, and the page parses it natively
 * (parseListRows). Any change to the table re-answers it: a retitle by another program is drawn that much sooner.
 * The array keeps the sorted subquery's order: SQLite does not flatten an ordered subquery into an aggregate, so
 * the aggregate takes the rows as the subquery yields them (sorting inside the aggregate instead costs 7 ms more).
 */
export function conversationList$(filters: ListFilters) {
  const where = [SHELF_WHERE[filters.shelf]]
  const bindValues: Record<string, string | number> = {}
  const equals = (column: 'source' | 'workspace' | 'deviceId' | 'model', value: string | null) => {
    if (value === null) return
    where.push(`${column} = $${column}`)
    bindValues[column] = value
  }
  equals('source', filters.source)
  equals('workspace', filters.workspace)
  equals('deviceId', filters.deviceId)
  equals('model', filters.model)
  if (filters.since !== null) {
    where.push('lastActivityAt >= $since')
    bindValues.since = filters.since
  }
  if (filters.until !== null) {
    where.push('lastActivityAt < $until')
    bindValues.until = filters.until
  }
  return queryDb(
    {
      query: `SELECT json_group_array(json_array(id, workspace, lastActivityAt)) AS rows
        FROM (SELECT id, workspace, lastActivityAt FROM conversations
          WHERE ${where.join(' AND ')} ORDER BY ${orderBy(filters.sort, where.join(' AND '))})`,
      bindValues,
      schema: ListAnswer,
      queriedTables: new Set(['conversations']),
    },
    { label: 'conversationList', deps: [JSON.stringify(filters)] },
  )
}

/** The list's rows out of the store's answer (see conversationList$). */
export function parseListRows(answer: typeof ListAnswer.Type): ListRow[] {
  const triples = JSON.parse(answer[0]?.rows ?? '[]') as [string, string | null, number][]
  return triples.map(([id, workspace, lastActivityAt]) => ({ id, workspace, lastActivityAt }))
}

const FilterChoices = Schema.Array(
  Schema.Struct({ kind: Schema.String, value: Schema.String, n: Schema.Number }),
)
/** One value a filter offers, and how many conversations have it. */
export type FilterChoice = (typeof FilterChoices.Type)[number]

/** The values each filter offers, from the conversations themselves. */
export const filterChoices$ = queryDb(
  {
    query: `SELECT 'source' AS kind, source AS value, COUNT(*) AS n FROM conversations WHERE deletedAt IS NULL GROUP BY source
      UNION ALL SELECT 'workspace', workspace, COUNT(*) FROM conversations WHERE deletedAt IS NULL AND workspace IS NOT NULL GROUP BY workspace
      UNION ALL SELECT 'model', model, COUNT(*) FROM conversations WHERE deletedAt IS NULL AND model IS NOT NULL GROUP BY model
      UNION ALL SELECT 'device', deviceId, COUNT(*) FROM conversations WHERE deletedAt IS NULL GROUP BY deviceId
      ORDER BY 1, 3 DESC`,
    schema: FilterChoices,
    queriedTables: new Set(['conversations']),
  },
  { label: 'filterChoices' },
)

/**
 * Every conversation that names a parent, whatever the filters, as one JSON text of `[id, parentId, messageCount,
 * deletedAt, archived]` arrays (one cell, as conversationList$ and for the same reason: a third of a Claude Code
 * library can be sub-agents). Found through the parent index and answered apart from the list, so the list's own
 * query keeps walking its covering index. The flags tell the family actions (family.ts) who moves with a parent.
 */
export const subConversations$ = queryDb(
  {
    query: `SELECT json_group_array(json_array(id, parentId, messageCount, deletedAt, archived)) AS rows
      FROM conversations WHERE parentId IS NOT NULL`,
    schema: ListAnswer,
    queriedTables: new Set(['conversations']),
  },
  { label: 'subConversations' },
)

type SubConversationCells = [string, string, number, number | null, number]

/** The sub-conversations out of the store's answer (see subConversations$). */
export function parseSubConversations(answer: typeof ListAnswer.Type) {
  const cells = JSON.parse(answer[0]?.rows ?? '[]') as SubConversationCells[]
  return cells.map(([id, parentId, messageCount, deletedAt, archived]) => ({
    id,
    parentId,
    messageCount,
    deletedAt,
    archived: archived === 1,
  }))
}

/** The figures a parent's row folds in: those of the conversations nested under the parents in view. */
export const foldedFigures$ = (ids: readonly string[]) =>
  queryDb(
    tables.conversations
      .select('id', 'cost', 'unpriced', 'tokensIn', 'tokensOut', 'cacheReads', 'cacheWrites')
      .where({ id: { op: 'IN', value: [...ids] } }),
    { label: 'foldedFigures', deps: [ids.join('\n')] },
  )

/** The conversations the list draws right now (the rows in view), in one query. */
export const conversationsById$ = (ids: readonly string[]) =>
  queryDb(tables.conversations.where({ id: { op: 'IN', value: [...ids] } }), {
    label: 'conversationsInView',
    deps: [ids.join('\n')],
  })

/** One conversation (the selected one). */
export const conversation$ = (id: string) =>
  queryDb(tables.conversations.where({ id }).first(), { label: 'conversation', deps: [id] })
