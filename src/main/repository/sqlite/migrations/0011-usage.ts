import type { Migration } from '../../migration'

/**
 * Usage and cost per API response (`usage`, clustered by conversation: its key is the conversation and the
 * response's key, so a conversation's responses are one range of the table and no index is kept for them, which an
 * import pays for per response), and the same summed per UTC hour, conversation, model and device
 * (`usage_hourly`), which the dashboard and `chronicle usage` read: two years at a million messages are a few
 * tens of thousands of rollup rows, not half a million responses. Triggers keep the rollup, so every writer
 * (import, sync, a price change) keeps it right without knowing it exists.
 *
 * `cost` is the source's logged cost, else the price table's; NULL when the model has no price ("unpriced"),
 * which the rollup counts apart instead of adding $0. `conversations.unpriced` is that count per conversation, a
 * column the change feed tracks like the cost beside it: the update trigger of 0002 is made again with it in its
 * list (spelled out here: an applied migration's SQL is frozen by its checksum).
 *
 * A library imported before usage was counted has no usage rows: every import unit is marked to be read again in
 * full (no fingerprint, no resume point) by the next import, which brings its responses without rewriting a message
 * that did not change.
 */
const CONVERSATION_COLUMNS = [
  'source',
  'source_id',
  'title',
  'workspace',
  'model',
  'created_at',
  'updated_at',
  'last_activity_at',
  'tokens_in',
  'tokens_out',
  'cache_reads',
  'cache_writes',
  'cost',
  'unpriced',
  'parent_id',
  'starred',
  'archived',
  'tags',
  'deleted_at',
  'metadata',
]

const changed = CONVERSATION_COLUMNS.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ')
const changedList = CONVERSATION_COLUMNS.map(
  (c) => `CASE WHEN OLD.${c} IS NOT NEW.${c} THEN '${c}' END`,
).join(', ')

const COUNTS = ['tokens_in', 'tokens_out', 'cache_writes', 'cache_writes_1h', 'cache_reads']

/** The rollup row of `row`, plus (sign 1) or minus (sign -1) the response. */
function addToRollup(row: 'NEW' | 'OLD', sign: 1 | -1): string {
  const s = sign === 1 ? '+' : '-'
  const values = [
    `${row}.at / 3600000`,
    `${row}.conversation_id`,
    `${row}.model`,
    `${row}.device_id`,
    `${sign}`,
    ...COUNTS.map((c) => `${s}${row}.${c}`),
    `${s}coalesce(${row}.cost, 0)`,
    `${s}coalesce(${row}.cost_uncached, 0)`,
    `${s}(${row}.cost IS NULL)`,
  ]
  return `INSERT INTO usage_hourly (hour, conversation_id, model, device_id, responses, ${COUNTS.join(', ')},
      cost, cost_uncached, unpriced)
    VALUES (${values.join(', ')})
    ON CONFLICT (hour, conversation_id, model, device_id) DO UPDATE SET
      responses = responses + excluded.responses,
      ${COUNTS.map((c) => `${c} = ${c} + excluded.${c}`).join(',\n      ')},
      cost = cost + excluded.cost, cost_uncached = cost_uncached + excluded.cost_uncached,
      unpriced = unpriced + excluded.unpriced;`
}

// A rollup row whose responses all left (a purge, a response moved to another hour) is removed, so the
// table stays as small as the history it sums.
const dropEmpty = (row: 'OLD') =>
  `DELETE FROM usage_hourly WHERE hour = ${row}.at / 3600000 AND conversation_id = ${row}.conversation_id
      AND model = ${row}.model AND device_id = ${row}.device_id AND responses = 0;`

export const migration0011: Migration = {
  version: 11,
  description: 'usage and cost per response, summed per hour',
  sql: `
CREATE TABLE usage (
  conversation_id TEXT NOT NULL,
  response_key TEXT NOT NULL,
  message_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  model TEXT NOT NULL DEFAULT '',
  device_id TEXT NOT NULL DEFAULT '',
  tokens_in INTEGER NOT NULL,
  tokens_out INTEGER NOT NULL,
  cache_writes INTEGER NOT NULL,
  cache_writes_1h INTEGER NOT NULL,
  cache_reads INTEGER NOT NULL,
  logged_cost REAL,
  cost REAL,
  cost_uncached REAL,
  PRIMARY KEY (conversation_id, response_key)
) WITHOUT ROWID;
CREATE INDEX usage_by_time ON usage (at);

CREATE TABLE usage_hourly (
  hour INTEGER NOT NULL,
  conversation_id TEXT NOT NULL,
  model TEXT NOT NULL,
  device_id TEXT NOT NULL,
  responses INTEGER NOT NULL,
  tokens_in INTEGER NOT NULL,
  tokens_out INTEGER NOT NULL,
  cache_writes INTEGER NOT NULL,
  cache_writes_1h INTEGER NOT NULL,
  cache_reads INTEGER NOT NULL,
  cost REAL NOT NULL,
  cost_uncached REAL NOT NULL,
  unpriced INTEGER NOT NULL,
  PRIMARY KEY (hour, conversation_id, model, device_id)
) WITHOUT ROWID;
CREATE INDEX usage_hourly_by_conversation ON usage_hourly (conversation_id);

CREATE TRIGGER usage_rollup_insert AFTER INSERT ON usage BEGIN
  ${addToRollup('NEW', 1)}
END;
CREATE TRIGGER usage_rollup_update AFTER UPDATE ON usage BEGIN
  ${addToRollup('OLD', -1)}
  ${dropEmpty('OLD')}
  ${addToRollup('NEW', 1)}
END;
CREATE TRIGGER usage_rollup_delete AFTER DELETE ON usage BEGIN
  ${addToRollup('OLD', -1)}
  ${dropEmpty('OLD')}
END;
CREATE TRIGGER conversations_purge_usage AFTER DELETE ON conversations BEGIN
  DELETE FROM usage WHERE conversation_id = OLD.id;
END;

UPDATE import_units SET fingerprint = '', resume = NULL;

ALTER TABLE conversations ADD COLUMN unpriced INTEGER NOT NULL DEFAULT 0;
DROP TRIGGER conversations_change_update;
CREATE TRIGGER conversations_change_update AFTER UPDATE ON conversations WHEN OLD.id IS NOT NEW.id OR ${changed} BEGIN
  INSERT INTO changes (entity, entity_id, op, origin, at, data)
    VALUES ('conversation', NEW.id, 'update', (SELECT origin FROM write_origin WHERE id = 1),
      CAST(unixepoch('subsec') * 1000 AS INTEGER),
      json_object('columns', json((SELECT json_group_array(value) FROM json_each(json_array(${changedList})) WHERE value IS NOT NULL))));
END;
`,
}
