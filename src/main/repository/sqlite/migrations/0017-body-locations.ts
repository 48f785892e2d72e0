import type { Migration } from '../../migration'

/** The message states of bodies/body-locations.ts, spelled out: an applied migration's SQL is frozen. */
const ON_DEVICE = `'{"bodyOnDevice":true}'`
const FROM_SYNC = `'{"bodyFrom":"sync"}'`
/**
 * Queues a message once. Not INSERT OR IGNORE: a trigger's conflict clause gives way to that of the statement that
 * fired it, so an upsert of messages would turn a second queueing into a UNIQUE failure.
 */
const QUEUE = (id: string) =>
  `INSERT INTO bodies_to_store (message_id) SELECT ${id} WHERE NOT EXISTS (SELECT 1 FROM bodies_to_store WHERE message_id = ${id});`
const UNREFERENCED = (pack: string) =>
  `INSERT INTO packs_to_remove (pack_address, queued_at) SELECT ${pack}, CAST(unixepoch('subsec') * 1000 AS INTEGER)
    WHERE NOT EXISTS (SELECT 1 FROM packs_to_remove WHERE pack_address = ${pack});`
/** A pack is referred to while a message's body or an image is located in it. */
const UNREFERENCED_WHEN = (pack: string) =>
  `NOT EXISTS (SELECT 1 FROM body_locations WHERE pack_address = ${pack})
    AND NOT EXISTS (SELECT 1 FROM image_locations WHERE pack_address = ${pack})`
/** The triggers that keep packs_to_remove, on one table of locations. */
const PACK_REFERENCES = (table: string) => `
CREATE TRIGGER ${table}_unreference_by_delete AFTER DELETE ON ${table}
  WHEN ${UNREFERENCED_WHEN('OLD.pack_address')} BEGIN
  ${UNREFERENCED('OLD.pack_address')}
END;
CREATE TRIGGER ${table}_unreference_by_move AFTER UPDATE OF pack_address ON ${table}
  WHEN OLD.pack_address IS NOT NEW.pack_address AND ${UNREFERENCED_WHEN('OLD.pack_address')} BEGIN
  ${UNREFERENCED('OLD.pack_address')}
END;
CREATE TRIGGER ${table}_reference_by_insert AFTER INSERT ON ${table} BEGIN
  DELETE FROM packs_to_remove WHERE pack_address = NEW.pack_address;
END;
CREATE TRIGGER ${table}_reference_by_move AFTER UPDATE OF pack_address ON ${table} BEGIN
  DELETE FROM packs_to_remove WHERE pack_address = NEW.pack_address;
END;`
const OWN_BODY = (row: string) => `${row}.metadata NOT IN (${ON_DEVICE}, ${FROM_SYNC})`

/**
 * Message bodies travel between a library's machines through its sync worker (bodies/). Local structures,
 * none of them synced (so no change-feed triggers):
 * - `body_locations`: where each message's body is stored on the worker: in which pack (blobs/body-pack.ts), at
 *   which bytes of the pack's plaintext, under which keyed content address. The machine that stored the pack writes
 *   it; every other machine learns it from the v1.BodiesPacked event.
 * - `image_locations`: where each image kept in images/ (images/image-store.ts) is stored on the worker, by its
 *   SHA-256: packed with the bodies of the messages that refer to it, announced in the same v1.BodiesPacked.
 * - `bodies_to_store`: the bodies this machine wrote (imported, or changed by a writer of the database) that it has
 *   not stored on the worker yet. Triggers keep it, so the uploader reads a short queue instead of comparing every
 *   message with its location; the messages already here when this migration runs are queued once.
 * - `packs_to_remove`: packs no message or image here refers to any more (its conversation purged, its bodies
 *   stored again elsewhere), which the worker need not keep: triggers on both tables of locations keep it, with
 *   when the pack lost its last reference, and a pack referred to again (another machine announced it anew)
 *   leaves it.
 * - a partial index over the messages that hold only another machine's preview: the downloader's work, and the
 *   count the Devices view shows, without reading every message.
 */
export const migration0017: Migration = {
  version: 17,
  description: 'where each message body is stored on the sync worker, and which are still to store or fetch',
  sql: `
CREATE TABLE body_locations (
  message_id TEXT PRIMARY KEY NOT NULL,
  body_address TEXT NOT NULL,
  pack_address TEXT NOT NULL,
  offset INTEGER NOT NULL,
  length INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX body_locations_by_body ON body_locations (body_address);
CREATE INDEX body_locations_by_pack ON body_locations (pack_address);
CREATE TABLE image_locations (
  sha256 TEXT PRIMARY KEY NOT NULL,
  body_address TEXT NOT NULL,
  pack_address TEXT NOT NULL,
  offset INTEGER NOT NULL,
  length INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX image_locations_by_pack ON image_locations (pack_address);
CREATE TABLE packs_to_remove (pack_address TEXT PRIMARY KEY NOT NULL, queued_at INTEGER NOT NULL) WITHOUT ROWID;
${PACK_REFERENCES('body_locations')}
${PACK_REFERENCES('image_locations')}
CREATE TABLE bodies_to_store (message_id TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;
INSERT INTO bodies_to_store (message_id) SELECT id FROM messages WHERE ${OWN_BODY('messages')};
CREATE INDEX messages_bodies_to_fetch ON messages (conversation_id) WHERE metadata = ${ON_DEVICE};
CREATE TRIGGER bodies_to_store_new AFTER INSERT ON messages WHEN ${OWN_BODY('NEW')} BEGIN
  ${QUEUE('NEW.id')}
END;
CREATE TRIGGER bodies_to_store_changed AFTER UPDATE OF text, content ON messages
  WHEN (OLD.text IS NOT NEW.text OR OLD.content IS NOT NEW.content) AND ${OWN_BODY('NEW')} BEGIN
  ${QUEUE('NEW.id')}
END;
CREATE TRIGGER bodies_gone AFTER DELETE ON messages BEGIN
  DELETE FROM body_locations WHERE message_id = OLD.id;
  DELETE FROM bodies_to_store WHERE message_id = OLD.id;
END;
`,
}
