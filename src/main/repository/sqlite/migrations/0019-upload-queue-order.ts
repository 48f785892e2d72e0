import type { Migration } from '../../migration'

/**
 * The uploader reads its queue (0017's bodies_to_store) newest conversation first, every round. Sorting it by the
 * messages' conversation and ordinal read every queued message's row: 330 ms a round for a queue of 100,000 bodies
 * of 1 KB, whatever the round takes. The queue now keeps both beside the id, filled by a trigger on the queue itself,
 * so every writer of the queue (0017's triggers, pack-sweeps.ts) is covered as it is, and an index in that order
 * lets a round walk the conversations newest first and stop when it has enough (bodies/body-locations.ts).
 */
export const migration0019: Migration = {
  version: 19,
  description:
    "the upload queue keeps each message's conversation and place, so reading it in order is cheap",
  sql: `
ALTER TABLE bodies_to_store ADD COLUMN conversation_id TEXT;
ALTER TABLE bodies_to_store ADD COLUMN ordinal INTEGER;
UPDATE bodies_to_store
  SET (conversation_id, ordinal) = (SELECT conversation_id, ordinal FROM messages WHERE id = message_id);
CREATE TRIGGER bodies_to_store_placed AFTER INSERT ON bodies_to_store WHEN NEW.conversation_id IS NULL BEGIN
  UPDATE bodies_to_store
    SET (conversation_id, ordinal) = (SELECT conversation_id, ordinal FROM messages WHERE id = NEW.message_id)
    WHERE message_id = NEW.message_id;
END;
CREATE INDEX bodies_to_store_in_order ON bodies_to_store (conversation_id, ordinal);
`,
}
