import { createHash } from 'node:crypto'

/** One schema version. The SQL is the whole change; its checksum is recorded so an edited migration is caught. */
export interface Migration {
  readonly version: number
  readonly description: string
  readonly sql: string
  /**
   * The migration rebuilds a full-text index from every message: seconds per 100,000 messages, once. Opening an
   * existing library with one pending tells the user why it takes a while (not part of the checksum).
   */
  readonly rebuildsIndex?: true
}

export function migrationChecksum(migration: Migration): string {
  return createHash('sha256').update(migration.sql).digest('hex')
}
