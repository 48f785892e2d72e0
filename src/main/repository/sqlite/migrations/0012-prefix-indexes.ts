import type { Migration } from '../../migration'

/**
 * Prefix indexes for search as you type. FTS5 answers `c*` by merging the postings of every indexed word that starts
 * with `c` before it returns a first row (a tenth of the whole index at a million messages); with `prefix=` it also
 * keeps postings for each word's first N characters, so a prefix of exactly that length is read like one word,
 * newest first, stopping after the window. Lengths 1 and 2 cost the least for what they save (bench `search`: about
 * a fifth more file, each longer length as much again); longer words being typed are completed from the vocabulary
 * instead (see typed-completions.ts).
 *
 * FTS5 fixes `prefix=` when a table is made, so both tables are made again with the same tokenizer, content and
 * triggers as in 0003 and rebuilt from their content tables.
 */
const PREFIX = '1 2'

const withPrefixes = (name: string, source: string, column: string): string => `
DROP TRIGGER ${name}_insert;
DROP TRIGGER ${name}_delete;
DROP TRIGGER ${name}_update;
DROP TABLE ${name};
CREATE VIRTUAL TABLE ${name} USING fts5(
  ${column}, content='${source}', content_rowid='pk', tokenize='unicode61 remove_diacritics 2', prefix='${PREFIX}'
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

export const migration0012: Migration = {
  version: 12,
  description: 'prefix indexes of 1 and 2 characters in both full-text indexes',
  slowWork: 'rebuilding its search index (about 4 s per 200,000 messages)',
  sql:
    withPrefixes('messages_fts', 'messages', 'text') +
    withPrefixes('conversations_fts', 'conversations', 'title'),
}
