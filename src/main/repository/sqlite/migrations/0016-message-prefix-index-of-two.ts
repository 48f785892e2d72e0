import type { Migration } from '../../migration'

/**
 * The message index keeps prefix postings for two characters only. Every word written into the index also wrote
 * an entry for its first character and one for its first two; the one-character entries cost a sixth of the insert
 * time (bench search at a million messages: 16,717 to 19,143 messages/s with both, 20,874 and 22,317 with two only)
 * and a quarter of the index (609 → 464 bytes per message). A one-letter prefix is answered by the prefix scan
 * instead (prefix-scan.ts), which reads the newest messages and asks a scratch index, as it does for long prefixes.
 * Titles are few, so the title index keeps both lengths.
 *
 * FTS5 fixes `prefix=` when a table is made, so the table is made again and rebuilt from `messages`, with the
 * triggers and settings of 0013 (written once per transaction, 16 MB hash, merges of 16), spelled out again since
 * an applied migration's SQL is frozen by its checksum. The settings go in before the rebuild, which then writes
 * large segments as an import does: about 4 s per 200,000 messages, once.
 */
const indexedAtOnce = (row: 'NEW' | 'OLD') =>
  `${row}.pk < coalesce((SELECT fts_from FROM write_origin WHERE id = 1), ${row}.pk + 1)`

export const migration0016: Migration = {
  version: 16,
  description: 'the message index keeps prefix postings of two characters only',
  slowWork: 'rebuilding its search index (about 4 s per 200,000 messages)',
  sql: `
DROP TRIGGER messages_fts_insert;
DROP TRIGGER messages_fts_delete;
DROP TRIGGER messages_fts_update;
DROP TABLE messages_fts;
CREATE VIRTUAL TABLE messages_fts USING fts5(
  text, content='messages', content_rowid='pk', tokenize='unicode61 remove_diacritics 2', prefix='2'
);
INSERT INTO messages_fts (messages_fts, rank) VALUES ('hashsize', 16777216);
INSERT INTO messages_fts (messages_fts, rank) VALUES ('automerge', 16);
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
INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
`,
}
