/**
 * How big the database is per message, and how much of it is the full-text index. The WAL is checkpointed and
 * truncated first, so the file is the whole database; dbstat (compiled into better-sqlite3) gives per-table pages.
 */
import { existsSync, statSync } from 'node:fs'
import { sql, type Kysely } from 'kysely'
import type { Database } from '../../../src/main/repository/database-schema'

export interface ObjectSize {
  readonly name: string
  readonly bytes: number
}

export interface SizeFigures {
  readonly fileBytes: number
  readonly walBytes: number
  readonly bytesPerMessage: number
  /** Null when dbstat is not compiled in. */
  readonly ftsBytes: number | null
  readonly ftsShare: number | null
  readonly objects: readonly ObjectSize[]
}

const fileSize = (file: string): number => (existsSync(file) ? statSync(file).size : 0)

/** FTS5 keeps an index in shadow tables named <table>_data, _idx, _docsize and _config. */
const FTS_SHADOW = /^(messages|conversations)_fts_(data|idx|docsize|config)$/

async function objectSizes(db: Kysely<Database>): Promise<ObjectSize[] | null> {
  try {
    const { rows } = await sql<ObjectSize>`
      SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC`.execute(db)
    return rows
  } catch {
    return null
  }
}

export async function databaseSize(
  db: Kysely<Database>,
  file: string,
  messages: number,
): Promise<SizeFigures> {
  await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db)
  const fileBytes = fileSize(file)
  const walBytes = fileSize(`${file}-wal`)
  const objects = await objectSizes(db)
  const ftsBytes = objects
    ? objects.filter((o) => FTS_SHADOW.test(o.name)).reduce((sum, o) => sum + o.bytes, 0)
    : null
  return {
    fileBytes,
    walBytes,
    bytesPerMessage: Math.round((fileBytes + walBytes) / Math.max(1, messages)),
    ftsBytes,
    ftsShare: ftsBytes === null ? null : Math.round((ftsBytes / fileBytes) * 1000) / 10,
    objects: objects ?? [],
  }
}
