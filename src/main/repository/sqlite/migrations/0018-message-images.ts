import type { Migration } from '../../migration'

/**
 * The kept images a message's content refers to, as bodies/image-locations.ts's imagesReferencedBy reads them: an
 * object `{"type": "image", …, "sha256": "<64 hex>"}` anywhere in the content (a tool result holds its images in its
 * own blocks). A content that is not JSON, or names no sha256, is read as `{}`, so a damaged content refers to no
 * image instead of failing the write that stores it.
 */
const IMAGE_TREES = (content: string) => {
  const json = `CASE WHEN instr(${content}, '"sha256"') > 0 AND json_valid(${content}) THEN ${content} ELSE '{}' END`
  return `json_tree(${json}) AS s JOIN json_tree(${json}) AS t ON t.parent = s.parent`
}
/** `s` is a member sha256 of 64 lowercase hex digits, and `t` its sibling "type": "image". */
const IS_IMAGE = `s.key = 'sha256' AND s.type = 'text' AND length(s.value) = 64 AND s.value NOT GLOB '*[^0-9a-f]*'
      AND t.key = 'type' AND t.atom = 'image'`
const IMAGES_OF = (content: string) =>
  `SELECT DISTINCT s.value AS sha256 FROM ${IMAGE_TREES(content)} WHERE ${IS_IMAGE}`
/** Only a content that names a sha256 can refer to an image: the rest of the writes pay one instr. */
const MAY_REFER = (content: string) => `instr(coalesce(${content}, ''), '"sha256"') > 0`

/**
 * Which message refers to which image kept in images/ (migration 0017's image_locations locate them on the sync
 * worker), kept by triggers on messages. When the last message that refers to an image goes (its conversation
 * purged, or its content changed), the image's location goes too, and with it, through 0017's triggers, the pack's
 * last reference: the pack is then removed from the worker like one of bodies only.
 *
 * A message here only as another machine's preview has no content yet, so it refers to nothing until its body is
 * fetched: an image located for such a message is released by the machines that hold the body.
 */
export const migration0018: Migration = {
  version: 18,
  description: 'which message refers to which kept image, so a purge releases the image on the sync worker',
  slowWork: 'finding the images its messages refer to (about 3 s per million messages)',
  sql: `
CREATE TABLE message_images (
  message_id TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  PRIMARY KEY (message_id, sha256)
) WITHOUT ROWID;
CREATE INDEX message_images_by_image ON message_images (sha256);
INSERT INTO message_images (message_id, sha256)
  SELECT DISTINCT m.id, s.value FROM messages AS m JOIN ${IMAGE_TREES('m.content')}
  WHERE ${MAY_REFER('m.content')} AND ${IS_IMAGE};
CREATE TRIGGER message_images_new AFTER INSERT ON messages WHEN ${MAY_REFER('NEW.content')} BEGIN
  INSERT INTO message_images (message_id, sha256) SELECT NEW.id, sha256 FROM (${IMAGES_OF('NEW.content')});
END;
CREATE TRIGGER message_images_changed AFTER UPDATE OF content ON messages
  WHEN OLD.content IS NOT NEW.content AND (${MAY_REFER('OLD.content')} OR ${MAY_REFER('NEW.content')}) BEGIN
  INSERT INTO message_images (message_id, sha256) SELECT NEW.id, sha256 FROM (${IMAGES_OF('NEW.content')}) AS i
    WHERE NOT EXISTS (SELECT 1 FROM message_images WHERE message_id = NEW.id AND sha256 = i.sha256);
  DELETE FROM message_images WHERE message_id = NEW.id AND sha256 NOT IN (${IMAGES_OF('NEW.content')});
END;
CREATE TRIGGER message_images_gone AFTER DELETE ON messages BEGIN
  DELETE FROM message_images WHERE message_id = OLD.id;
END;
CREATE TRIGGER image_released AFTER DELETE ON message_images
  WHEN NOT EXISTS (SELECT 1 FROM message_images WHERE sha256 = OLD.sha256) BEGIN
  DELETE FROM image_locations WHERE sha256 = OLD.sha256;
END;
`,
}
