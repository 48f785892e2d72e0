import { createHash } from 'node:crypto'

/** One schema version. The SQL is the whole change; its checksum is recorded so an edited migration is caught. */
export interface Migration {
  readonly version: number
  readonly description: string
  readonly sql: string
}

export function migrationChecksum(migration: Migration): string {
  return createHash('sha256').update(migration.sql).digest('hex')
}
