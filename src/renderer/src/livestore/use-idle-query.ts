/**
 * A store query answered when the page is idle instead of on every write to its tables: for answers that must stay
 * current but need not delay the write's own drawing. The filter menus' counts re-count every conversation, which
 * on a library of 10,000 took about a third of the page's SQL after each change of one conversation.
 *
 * The first answer waits for the page's first idle period too (a stand-in is shown until then): the filter menus'
 * counts took 35 to 47 ms of the page's first drawing of a library of 10,000, on the way to its first row (three
 * CPU profiles of the cold start, two cores). Each new answer of its staleness query (conversationsChanged$, which
 * costs one constant-time query per write) marks the answer stale, and it is asked again in the next idle period,
 * or at once when `fresh()` is called (a menu about to open).
 */
import { queryDb, Schema, type LiveQueryDef } from '@livestore/livestore'
import { useCallback, useEffect, useRef, useState } from 'react'
import { useChronicleStore } from './chronicle-store'

/** At the latest this long after a write the answer is asked again, idle or not. */
const IDLE_DEADLINE_MS = 1_000

type ChangesQuery = LiveQueryDef<readonly { readonly n: number; readonly rows: number }[]>

/**
 * A query whose answer changes with every write to `conversations`: SQLite's count of rows this connection has
 * changed. The store asks it again only when the table is written, so it costs one constant-time query per write.
 * It names the table in the SQL because LiveStore 0.4 learns which tables a query reads from SQLite itself, not
 * from `queriedTables`: a query that reads no table would never be asked again.
 */
export const conversationsChanged$: ChangesQuery = queryDb(
  {
    query: 'SELECT total_changes() AS n, EXISTS (SELECT 1 FROM conversations) AS rows',
    schema: Schema.Array(Schema.Struct({ n: Schema.Number, rows: Schema.Number })),
  },
  { label: 'conversationsChanged' },
)

/**
 * `query$` answered when idle, `initial` until the first answer; `changes$` is the query whose every new answer
 * marks it stale.
 */
export function useIdleQuery<T>(
  query$: LiveQueryDef<T>,
  changes$: ChangesQuery,
  initial: T,
): { value: T; fresh: () => void } {
  const store = useChronicleStore()
  const [value, setValue] = useState(initial)
  const stale = useRef(true)
  const fresh = useCallback(() => {
    if (!stale.current) return
    stale.current = false
    const next = store.query(query$)
    // Most writes (a retitle, a new message) leave the counts as they were: nothing to draw then.
    setValue((now) => (JSON.stringify(now) === JSON.stringify(next) ? now : next))
  }, [store, query$])

  useEffect(() => {
    let pending: number | null = null
    const askWhenIdle = () => {
      pending ??= requestIdleCallback(
        () => {
          pending = null
          fresh()
        },
        { timeout: IDLE_DEADLINE_MS },
      )
    }
    askWhenIdle()
    const unsubscribe = store.subscribe(changes$, () => {
      stale.current = true
      askWhenIdle()
    })
    return () => {
      unsubscribe()
      if (pending !== null) cancelIdleCallback(pending)
    }
  }, [store, changes$, fresh])

  return { value, fresh }
}
