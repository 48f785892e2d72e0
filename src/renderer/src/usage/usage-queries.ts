/**
 * The dashboard's questions to the page's store. The figures themselves come from the main side (the usage
 * rollup lives in SQL, not in LiveStore); the store only tells the dashboard that the library changed, so it asks
 * again without a reload: imports, other devices' changes and edits all pass through the conversations table.
 */
import { queryDb, Schema } from '@livestore/livestore'

/**
 * One row that changes whenever anything the usage figures depend on changes: the number of conversations, their
 * costs, tokens and unpriced responses (a price change moves them), their latest update, and the shelves (a conversation starred, archived or deleted moves
 * between the dashboard's shelves without touching its figures).
 */
export const libraryChange$ = queryDb(
  {
    query: `SELECT count(*) AS conversations, total(messageCount) AS messages,
      count(*) || ':' || total(cost) || ':' || coalesce(max(updatedAt), 0) || ':' ||
      total(tokensIn + tokensOut + cacheReads + cacheWrites) || ':' || total(unpriced) || ':' || total(starred) || ':' ||
      total(archived) || ':' || count(deletedAt) AS signal
      FROM conversations`,
    schema: Schema.Array(
      Schema.Struct({ conversations: Schema.Number, messages: Schema.Number, signal: Schema.String }),
    ),
    queriedTables: new Set(['conversations']),
  },
  { label: 'usageLibraryChange' },
)
