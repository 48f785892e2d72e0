/** How many messages a client's store knows of in all: the sum of its conversations' counts. */
import { queryDb, Schema } from '@livestore/livestore'

export const messageTotal$ = queryDb(
  {
    query: 'SELECT coalesce(sum(messageCount), 0) AS total FROM conversations',
    schema: Schema.Array(Schema.Struct({ total: Schema.Number })).pipe(
      Schema.headOrElse(() => ({ total: 0 })),
    ),
    queriedTables: new Set(['conversations']),
  },
  { label: 'messageTotal', map: (row) => row.total },
)
