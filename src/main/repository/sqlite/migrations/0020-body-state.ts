import type { Migration } from '../../migration'

/** 0017's message states, spelled out: an applied migration's SQL is frozen. */
const ON_DEVICE = `'{"bodyOnDevice":true}'`
const FROM_SYNC = `'{"bodyFrom":"sync"}'`
const QUEUE = (id: string) =>
  `INSERT INTO bodies_to_store (message_id) SELECT ${id} WHERE NOT EXISTS (SELECT 1 FROM bodies_to_store WHERE message_id = ${id});`

/**
 * Where a message's body came from moves out of its `metadata` into a column of its own, `body_state`, so that
 * `metadata` can hold what the importing machine read (the model's name, the source's details) on every machine:
 * 0017 marked a preview and a fetched body by replacing the metadata, so what travelled with the body could not be
 * kept. NULL is a body this machine's repository wrote; 'elsewhere' a preview whose body is on another machine;
 * 'fetched' a body fetched from the worker. The column is local: the change feed's triggers do not list it.
 *
 * The rows 0017 marked are moved as origin 'sync', which the bridge never turns into events (their metadata
 * becomes '{}': what it was is not known here), and the feed forgets those rows at once: a machine holding a
 * million previews would otherwise carry a million change rows nobody reads (the move takes 8 s there). The partial index and the queue's triggers follow the column, and
 * a change of a message's metadata now queues its body again, since the metadata travels in it.
 */
export const migration0020: Migration = {
  version: 20,
  description: "a message's body state in its own column, so its metadata can travel with its body",
  slowWork: 'marking the messages synced from your other machines anew (about 8 s per million of them)',
  sql: `
ALTER TABLE messages ADD COLUMN body_state TEXT CHECK (body_state IN ('elsewhere', 'fetched'));
CREATE TEMP TABLE feed_before_0020 AS SELECT coalesce(max(seq), 0) AS seq FROM changes;
UPDATE write_origin SET origin = 'sync' WHERE id = 1;
UPDATE messages SET body_state = 'elsewhere', metadata = '{}' WHERE metadata = ${ON_DEVICE};
UPDATE messages SET body_state = 'fetched', metadata = '{}' WHERE metadata = ${FROM_SYNC};
UPDATE write_origin SET origin = 'sql' WHERE id = 1;
DELETE FROM changes WHERE seq > (SELECT seq FROM feed_before_0020) AND origin = 'sync';
DROP TABLE feed_before_0020;
DROP INDEX messages_bodies_to_fetch;
CREATE INDEX messages_bodies_to_fetch ON messages (conversation_id) WHERE body_state = 'elsewhere';
DROP TRIGGER bodies_to_store_new;
DROP TRIGGER bodies_to_store_changed;
CREATE TRIGGER bodies_to_store_new AFTER INSERT ON messages WHEN NEW.body_state IS NULL BEGIN
  ${QUEUE('NEW.id')}
END;
CREATE TRIGGER bodies_to_store_changed AFTER UPDATE OF text, content, metadata ON messages
  WHEN (OLD.text IS NOT NEW.text OR OLD.content IS NOT NEW.content OR OLD.metadata IS NOT NEW.metadata)
    AND NEW.body_state IS NULL BEGIN
  ${QUEUE('NEW.id')}
END;
`,
}
