import type { Migration } from '../../migration'

/**
 * The message index is written once per transaction instead of once per statement. FTS5 keeps what a transaction
 * adds in memory and writes it out as a new index segment when the transaction commits, when it outgrows the hash
 * size, and also each time a later statement of the same transaction opens a statement savepoint (SQLite's
 * fts5SavepointMethod flushes). Every multi-row insert or upsert opens one, and an import writes each
 * conversation's messages, usage and totals in statements of their own: the index got a segment for every hundred
 * messages or so, and spent its time merging them.
 *
 * A writer going through writeTransaction (writes.ts) marks where its new messages begin (`write_origin.fts_from`,
 * the next pk) and indexes all of them in one statement before it commits; the triggers leave those rows alone, on
 * insert, update and delete alike (a row the index has not seen has nothing to take out). Older rows, and every
 * write made outside writeTransaction (another process, a plain UPDATE), are indexed by the triggers at once, as
 * before. SQLite gives a new row the largest pk plus one, so rows above the mark are exactly the transaction's own.
 *
 * The hash grows from FTS5's 1 MB to 16 MB, so that the messages of one transaction make one segment, and FTS5
 * merges segments 16 at a time instead of 4, rewriting each posting fewer times as the index grows (bench search,
 * large, one core: insert 13,348 msg/s with 4, 15,760 with 8, 18,014 with 16; every keystroke p95 17.0, 21.8 and
 * 21.2 ms, as a query reads a few more segments; the target is 30).
 */
const indexedAtOnce = (row: 'NEW' | 'OLD') =>
  `${row}.pk < coalesce((SELECT fts_from FROM write_origin WHERE id = 1), ${row}.pk + 1)`

export const migration0013: Migration = {
  version: 13,
  description: 'the message index written once per transaction',
  sql: `
ALTER TABLE write_origin ADD COLUMN fts_from INTEGER;
DROP TRIGGER messages_fts_insert;
DROP TRIGGER messages_fts_delete;
DROP TRIGGER messages_fts_update;
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN ${indexedAtOnce('NEW')} BEGIN
  INSERT INTO messages_fts (rowid, text) VALUES (NEW.pk, NEW.text);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages WHEN ${indexedAtOnce('OLD')} BEGIN
  INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', OLD.pk, OLD.text);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages
  WHEN OLD.text IS NOT NEW.text AND ${indexedAtOnce('OLD')} BEGIN
  INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', OLD.pk, OLD.text);
  INSERT INTO messages_fts (rowid, text) VALUES (NEW.pk, NEW.text);
END;
INSERT INTO messages_fts (messages_fts, rank) VALUES ('hashsize', 16777216);
INSERT INTO messages_fts (messages_fts, rank) VALUES ('automerge', 16);
`,
}
