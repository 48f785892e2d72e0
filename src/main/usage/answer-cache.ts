/**
 * The dashboard's recent answers, kept while the database is unchanged: a control set back, or the view opened
 * again, asks what was just answered, and the series and rankings are most of the main side's time (the large
 * library: about 50 ms of CPU per answer). Any commit makes every kept answer stale, from this connection or
 * another (an import in another process, the CLI): `PRAGMA data_version` moves with other connections' commits and
 * `total_changes()` with this connection's writes, so an answer given from here is the one the queries would give.
 * An answer computed while a write landed is not kept. What depends on the clock (the billing windows) is not
 * asked through it.
 */
import { sql, type Kysely } from 'kysely'
import type { Database } from '../repository/database-schema'

/** Enough for every control of the dashboard set and set back. */
const KEPT = 16

export interface AnswerCache {
  /** The answer kept for `key`, or `compute`'s (kept if the database did not change meanwhile). */
  answer<T>(key: string, compute: () => Promise<T>): Promise<T>
}

export function answerCache(db: Kysely<Database>): AnswerCache {
  const kept = new Map<string, { readonly version: string; readonly value: unknown }>()
  const version = async () => {
    const { rows } = await sql<{ version: string }>`SELECT
      (SELECT data_version FROM pragma_data_version) || ':' || total_changes() AS version`.execute(db)
    return rows[0]?.version ?? ''
  }
  return {
    async answer<T>(key: string, compute: () => Promise<T>): Promise<T> {
      const before = await version()
      const hit = kept.get(key)
      if (hit?.version === before) return hit.value as T
      const value = await compute()
      if ((await version()) !== before) return value
      kept.delete(key)
      kept.set(key, { version: before, value })
      // The oldest answer goes first (a Map iterates in insertion order).
      for (const old of kept.keys()) {
        if (kept.size <= KEPT) break
        kept.delete(old)
      }
      return value
    },
  }
}
