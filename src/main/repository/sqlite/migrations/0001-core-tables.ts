import type { Migration } from '../../migration'

// Tables that carry text ids also get an INTEGER PRIMARY KEY: VACUUM may renumber implicit rowids, and the
// full-text index (0003) addresses rows by rowid.
export const migration0001: Migration = {
  version: 1,
  description: 'conversations, messages and devices',
  sql: `
CREATE TABLE conversations (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  source TEXT NOT NULL,
  source_id TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  workspace TEXT,
  model TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  last_activity_at INTEGER NOT NULL,
  tokens_in INTEGER NOT NULL DEFAULT 0,
  tokens_out INTEGER NOT NULL DEFAULT 0,
  cache_reads INTEGER NOT NULL DEFAULT 0,
  cache_writes INTEGER NOT NULL DEFAULT 0,
  cost REAL NOT NULL DEFAULT 0,
  parent_id TEXT,
  starred INTEGER NOT NULL DEFAULT 0 CHECK (starred IN (0, 1)),
  archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
  tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags) AND json_type(tags) = 'array'),
  deleted_at INTEGER,
  metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
  UNIQUE (source, source_id)
);
CREATE INDEX conversations_last_activity ON conversations (last_activity_at, id);
CREATE INDEX conversations_created ON conversations (created_at, id);
CREATE INDEX conversations_cost ON conversations (cost, id);
CREATE INDEX conversations_tokens ON conversations ((tokens_in + tokens_out), id);
CREATE INDEX conversations_title ON conversations (title COLLATE NOCASE, id);
CREATE INDEX conversations_parent ON conversations (parent_id) WHERE parent_id IS NOT NULL;

CREATE TABLE messages (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('user', 'assistant', 'system', 'tool')),
  kind TEXT NOT NULL DEFAULT 'text'
    CHECK (kind IN ('text', 'tool_call', 'tool_result', 'thinking', 'summary', 'event', 'unknown')),
  created_at INTEGER,
  text TEXT NOT NULL DEFAULT '',
  content TEXT,
  device_id TEXT,
  parent_id TEXT,
  metadata TEXT NOT NULL DEFAULT '{}',
  UNIQUE (conversation_id, ordinal)
);

CREATE TABLE devices (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  platform TEXT NOT NULL,
  kind TEXT NOT NULL,
  app_version TEXT NOT NULL,
  first_seen_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
);
`,
}
