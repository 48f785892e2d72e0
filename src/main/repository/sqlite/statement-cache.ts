/**
 * Kysely prepares every statement it runs; better-sqlite3 then compiles the SQL each time. An import runs the
 * same few statements thousands of times (a 500-row insert's SQL is long to compile), so prepared statements
 * are kept by their SQL text, the most recently used first. A statement still being iterated is never handed
 * out twice; SQLite recompiles a kept statement by itself if the schema changes.
 */
import type BetterSqlite3 from 'better-sqlite3'
import type { SqliteDatabase } from 'kysely'

const KEPT_STATEMENTS = 256

export function withStatementCache(db: BetterSqlite3.Database, limit = KEPT_STATEMENTS): SqliteDatabase {
  const kept = new Map<string, BetterSqlite3.Statement>()
  return {
    close: () => db.close(),
    prepare(sql) {
      const statement = kept.get(sql)
      if (statement && !statement.busy) {
        // Map order is insertion order: moving it to the end keeps the least recently used first.
        kept.delete(sql)
        kept.set(sql, statement)
        return statement
      }
      const fresh = db.prepare(sql)
      if (!statement) {
        kept.set(sql, fresh)
        if (kept.size > limit) kept.delete(kept.keys().next().value as string)
      }
      return fresh
    },
  }
}
