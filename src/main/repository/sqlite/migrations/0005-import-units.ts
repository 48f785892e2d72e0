import type { Migration } from '../../migration'

/**
 * What the importer read, per unit (a task folder, a session file, an export): the fingerprint of its files
 * (paths, sizes, mtimes) and the outcome. An unchanged fingerprint means the unit is not read again, which is what
 * makes a re-import of thousands of sources a matter of stat calls. Not part of the change feed: it is bookkeeping,
 * not history.
 */
export const migration0005: Migration = {
  version: 5,
  description: 'import bookkeeping per source unit',
  sql: `
CREATE TABLE import_units (
  unit TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  files TEXT NOT NULL CHECK (json_valid(files)),
  status TEXT NOT NULL CHECK (status IN ('imported', 'failed', 'retry')),
  error TEXT,
  conversation_ids TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(conversation_ids)),
  messages INTEGER NOT NULL DEFAULT 0,
  imported_at INTEGER NOT NULL
);
`,
}
