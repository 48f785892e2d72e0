import type { Migration } from '../../migration'

/**
 * An import never deletes a message: one that its source no longer holds (a Roo task condensed, an export cut
 * short, a Claude Code session rewritten) stays, with the time the import first found it gone. A later read that
 * holds it again clears the mark. The repository is the user's archive; only the user deletes from it.
 *
 * The mark is a change like any other, so the update trigger of 0002 is made again with the column in its list
 * (spelled out here: an applied migration's SQL is frozen by its checksum).
 */
const MESSAGE_COLUMNS = [
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
  'left_source_at',
]

const changed = MESSAGE_COLUMNS.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ')
const changedList = MESSAGE_COLUMNS.map((c) => `CASE WHEN OLD.${c} IS NOT NEW.${c} THEN '${c}' END`).join(
  ', ',
)

export const migration0010: Migration = {
  version: 10,
  description: 'messages kept after they left their source',
  sql: `
ALTER TABLE messages ADD COLUMN left_source_at INTEGER;
DROP TRIGGER messages_change_update;
CREATE TRIGGER messages_change_update AFTER UPDATE ON messages WHEN OLD.id IS NOT NEW.id OR ${changed} BEGIN
  INSERT INTO changes (entity, entity_id, op, origin, at, data)
    VALUES ('message', NEW.id, 'update', (SELECT origin FROM write_origin WHERE id = 1),
      CAST(unixepoch('subsec') * 1000 AS INTEGER),
      json_object('conversation_id', NEW.conversation_id, 'columns',
        json((SELECT json_group_array(value) FROM json_each(json_array(${changedList})) WHERE value IS NOT NULL))));
END;
`,
}
