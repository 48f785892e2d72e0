import type { Migration } from '../../migration'

/**
 * Where the importer can go on reading a unit that only grows (a Claude Code session file): the adapter's own
 * checkpoint, written in the same transaction as the rows it read, so it can never run ahead of them.
 */
export const migration0006: Migration = {
  version: 6,
  description: 'import checkpoint per source unit',
  sql: `ALTER TABLE import_units ADD COLUMN resume TEXT;`,
}
