import type { Migration } from '../../migration'

/**
 * The sync hub's authoritative eventlog, in the repository so that the SQL rows, the bridge's cursors and the
 * events commit together. Each event keeps LiveStore's encoding (name, args, sequence numbers, client and
 * session) plus the time the hub accepted it and a hash chain: every entry's hash covers the previous hash and
 * the canonical encoding of the event, so an edited, dropped, inserted or reordered entry breaks the chain.
 *
 * hub_meta holds the backend id (a random id made once: clients detect a replaced backend by it);
 * bridge_cursors holds how far the LiveStore→SQL bridge has applied the eventlog.
 */
export const migration0007: Migration = {
  version: 7,
  description: 'sync hub eventlog with hash chain, hub metadata, bridge cursors',
  sql: `
CREATE TABLE hub_events (
  seq INTEGER PRIMARY KEY CHECK (seq > 0),
  parent_seq INTEGER NOT NULL CHECK (parent_seq = seq - 1),
  name TEXT NOT NULL,
  args TEXT NOT NULL CHECK (json_valid(args)),
  client_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  accepted_at INTEGER NOT NULL,
  hash TEXT NOT NULL
);
CREATE TABLE hub_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE bridge_cursors (name TEXT PRIMARY KEY, position INTEGER NOT NULL);
`,
}
