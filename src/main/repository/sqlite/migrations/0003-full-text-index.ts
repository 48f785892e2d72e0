import type { Migration } from '../../migration'

/**
 * Full-text index over message text and conversation titles. External-content FTS5 tables: the index stores
 * tokens and positions only, and snippets are cut from the rows themselves, so no text is stored twice.
 *
 * Tokenizer: unicode61 with remove_diacritics 2 ("élève" finds "eleve", and the other way round), with Chinese
 * and Japanese split into single characters before indexing (see search-text.ts). Against trigram it was smaller,
 * faster to write and to query, ranks by words rather than by 3-letter fragments, and keeps prefix search
 * (bench scenario `tokenizer` has the figures).
 */
const ftsTable = (name: string, source: string, column: string): string => `
CREATE VIRTUAL TABLE ${name} USING fts5(
  ${column}, content='${source}', content_rowid='pk', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER ${name}_insert AFTER INSERT ON ${source} BEGIN
  INSERT INTO ${name} (rowid, ${column}) VALUES (NEW.pk, NEW.${column});
END;
CREATE TRIGGER ${name}_delete AFTER DELETE ON ${source} BEGIN
  INSERT INTO ${name} (${name}, rowid, ${column}) VALUES ('delete', OLD.pk, OLD.${column});
END;
CREATE TRIGGER ${name}_update AFTER UPDATE OF ${column} ON ${source} WHEN OLD.${column} IS NOT NEW.${column} BEGIN
  INSERT INTO ${name} (${name}, rowid, ${column}) VALUES ('delete', OLD.pk, OLD.${column});
  INSERT INTO ${name} (rowid, ${column}) VALUES (NEW.pk, NEW.${column});
END;
INSERT INTO ${name} (${name}) VALUES ('rebuild');
`

export const migration0003: Migration = {
  version: 3,
  description: 'full-text index over message text and conversation titles',
  sql: ftsTable('messages_fts', 'messages', 'text') + ftsTable('conversations_fts', 'conversations', 'title'),
}
