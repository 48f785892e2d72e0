import type { Migration } from '../../migration'

/**
 * Every insert, update and delete on the synced tables appends to `changes`, whoever writes and from whichever
 * process: the triggers live in the database file, so the sqlite3 shell or another program cannot bypass them.
 *
 * A writer names itself by setting `write_origin` inside its own transaction (SQLite has one writer at a time, so
 * nobody else can see or change it in between) and resetting it before commit; anyone who does not is 'sql'.
 * An update that changes no column appends nothing, so an idempotent re-import leaves the feed untouched.
 */
interface TrackedTable {
  readonly table: string
  readonly entity: string
  readonly columns: readonly string[]
  /** Extra facts a reader of the feed needs without reading the row (which may be gone after a delete). */
  readonly data: (row: 'NEW' | 'OLD') => string
}

// Column lists are spelled out here, not imported from the live code: an applied migration's SQL is frozen by its
// checksum, so it must not change when the code's own column lists do.
const tracked: readonly TrackedTable[] = [
  {
    table: 'conversations',
    entity: 'conversation',
    columns: [
      'source',
      'source_id',
      'title',
      'workspace',
      'model',
      'created_at',
      'updated_at',
      'last_activity_at',
      'tokens_in',
      'tokens_out',
      'cache_reads',
      'cache_writes',
      'cost',
      'parent_id',
      'starred',
      'archived',
      'tags',
      'deleted_at',
      'metadata',
    ],
    data: () => 'NULL',
  },
  {
    table: 'messages',
    entity: 'message',
    columns: [
      'conversation_id',
      'ordinal',
      'role',
      'kind',
      'created_at',
      'text',
      'content',
      'device_id',
      'parent_id',
      'metadata',
    ],
    data: (row) => `json_object('conversation_id', ${row}.conversation_id)`,
  },
  {
    table: 'devices',
    entity: 'device',
    columns: ['name', 'platform', 'kind', 'app_version', 'first_seen_at', 'last_seen_at'],
    data: () => 'NULL',
  },
]

const appendChange = (entity: string, row: 'NEW' | 'OLD', op: string, data: string): string =>
  `INSERT INTO changes (entity, entity_id, op, origin, at, data)
    VALUES ('${entity}', ${row}.id, '${op}', (SELECT origin FROM write_origin WHERE id = 1),
      CAST(unixepoch('subsec') * 1000 AS INTEGER), ${data});`

function triggersFor(t: TrackedTable): string {
  const changed = t.columns.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ')
  const changedList = t.columns.map((c) => `CASE WHEN OLD.${c} IS NOT NEW.${c} THEN '${c}' END`).join(', ')
  const changedColumns = `(SELECT json_group_array(value) FROM json_each(json_array(${changedList})) WHERE value IS NOT NULL)`
  const updateData =
    t.table === 'messages'
      ? `json_object('conversation_id', NEW.conversation_id, 'columns', json(${changedColumns}))`
      : `json_object('columns', json(${changedColumns}))`
  return `
CREATE TRIGGER ${t.table}_change_insert AFTER INSERT ON ${t.table} BEGIN
  ${appendChange(t.entity, 'NEW', 'insert', t.data('NEW'))}
END;
CREATE TRIGGER ${t.table}_change_update AFTER UPDATE ON ${t.table} WHEN OLD.id IS NOT NEW.id OR ${changed} BEGIN
  ${appendChange(t.entity, 'NEW', 'update', updateData)}
END;
CREATE TRIGGER ${t.table}_change_delete AFTER DELETE ON ${t.table} BEGIN
  ${appendChange(t.entity, 'OLD', 'delete', t.data('OLD'))}
END;`
}

export const migration0002: Migration = {
  version: 2,
  description: 'change feed: changes table, write origin and triggers',
  sql: `
CREATE TABLE changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
  origin TEXT NOT NULL,
  at INTEGER NOT NULL,
  data TEXT
);
CREATE TABLE write_origin (id INTEGER PRIMARY KEY CHECK (id = 1), origin TEXT NOT NULL);
INSERT INTO write_origin (id, origin) VALUES (1, 'sql');
${tracked.map(triggersFor).join('\n')}
`,
}
