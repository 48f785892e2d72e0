import { createHash } from 'node:crypto'

/** One schema version. The SQL is the whole change; its checksum is recorded so an edited migration is caught. */
export interface Migration {
  readonly version: number
  readonly description: string
  readonly sql: string
  /**
   * What the migration does that takes seconds on a large library, with how long, in words that finish "Upgrading
   * your library…: ". Opening an existing library with one pending tells the user why it takes a while, before it
   * starts (not part of the checksum).
   */
  readonly slowWork?: string
}

export function migrationChecksum(migration: Migration): string {
  return createHash('sha256').update(migration.sql).digest('hex')
}
