/**
 * The state LiveStore materialises from the events: what the UI lists and filters without asking the main side.
 * Deliberately small (every client holds it in memory, the page twice: its leader's and its session's copy):
 * conversation metadata with counts, devices and imports. Of a message, only an integer key (messageKeys): its
 * text, preview and full-text search stay in the SQL repository, and the events carry them between devices.
 */
import { Schema, State } from '@livestore/livestore'
import { DEVICE_KINDS } from './events'

const { table, text, integer, real, boolean, json } = State.SQLite

export const conversations = table({
  name: 'conversations',
  columns: {
    id: text({ primaryKey: true }),
    source: text(),
    sourceId: text(),
    title: text({ default: '' }),
    workspace: text({ nullable: true }),
    model: text({ nullable: true }),
    createdAt: integer(),
    updatedAt: integer(),
    lastActivityAt: integer(),
    tokensIn: integer({ default: 0 }),
    tokensOut: integer({ default: 0 }),
    cacheReads: integer({ default: 0 }),
    cacheWrites: integer({ default: 0 }),
    cost: real({ default: 0 }),
    /** Responses without a price, whose cost `cost` leaves out (shown as "unpriced", never as $0). */
    unpriced: integer({ default: 0 }),
    parentId: text({ nullable: true }),
    starred: boolean({ default: false }),
    archived: boolean({ default: false }),
    tags: json({ schema: Schema.Array(Schema.String), default: [] }),
    deletedAt: integer({ nullable: true }),
    /** The conversation's rows in messageKeys (materializers.ts): SQL's count of its message rows. */
    messageCount: integer({ default: 0 }),
    /** The device whose repository (or UI) the conversation came from. */
    deviceId: text(),
  },
  indexes: [
    // The list's order, covering what the list reads and its shelves test: the list walks this index alone
    // (6 ms for 10,000 conversations; 15 when each row is looked up in the table).
    {
      name: 'conversations_list',
      columns: ['lastActivityAt', 'deletedAt', 'archived', 'starred', 'id', 'workspace'],
    },
    // The filter menus count conversations per value, when the page is idle after a change of the table
    // (use-idle-query.ts): each count walks one of these (17 ms for 10,000 conversations without them, 5 with),
    // and a reader finds a conversation's sub-tasks.
    { name: 'conversations_by_source', columns: ['deletedAt', 'source'] },
    { name: 'conversations_by_workspace', columns: ['deletedAt', 'workspace'] },
    { name: 'conversations_by_model', columns: ['deletedAt', 'model'] },
    { name: 'conversations_by_device', columns: ['deletedAt', 'deviceId'] },
    { name: 'conversations_by_parent', columns: ['parentId'] },
  ],
})

export const devices = table({
  name: 'devices',
  columns: {
    id: text({ primaryKey: true }),
    name: text({ default: '' }),
    kind: text({ schema: Schema.Literal(...DEVICE_KINDS), default: 'desktop' }),
    platform: text({ default: '' }),
    appVersion: text({ default: '' }),
    registeredAt: integer({ nullable: true }),
    /** The fingerprint of the key that signs the device's audit exports ('' until it registered one). */
    keyFingerprint: text({ default: '' }),
    /** Last connection and disconnection the hub recorded; live presence comes from the hub itself. */
    connectedAt: integer({ nullable: true }),
    disconnectedAt: integer({ nullable: true }),
  },
})

export const imports = table({
  name: 'imports',
  columns: {
    id: text({ primaryKey: true }),
    deviceId: text(),
    startedAt: integer(),
    finishedAt: integer({ nullable: true }),
    roots: json({ schema: Schema.Array(Schema.String), default: [] }),
    /** Added/updated/unchanged/removed per entity and the number of problems, once finished. */
    outcome: json({ schema: Schema.Unknown, nullable: true }),
  },
})

/** Per device, the highest change-feed sequence number of its repository that is in the eventlog. */
export const bridgeCursors = table({
  name: 'bridgeCursors',
  columns: {
    deviceId: text({ primaryKey: true }),
    sqlSeq: integer(),
  },
})

/**
 * One row per message the eventlog has appended and not deleted, so that a message appended twice counts once:
 * two machines that import the same files while apart both announce the same messages, and the rebase keeps both
 * announcements. Integer keys, not the ids (message-keys.ts).
 * LiveStore's tables keep a rowid (no WITHOUT ROWID), so the key is the rowid itself: a conversation's 32 bits
 * then its message's 31 (message-keys.ts rowKey), which keeps a conversation's rows together in one B-tree, with
 * no index beside it. An event's keys land on a page or two, and a count or a purge reads one range of rowids.
 * `conversation` keeps the count exact when two conversations share their 32 bits. ~24 bytes a message, 2.4 MB
 * for 100,000 in each copy of the state (a page holds two). Before, a composite primary key (a second B-tree)
 * took ~55 bytes, and the key as the rowid with an index by conversation scattered an event's keys over a page
 * each.
 * A change to how messages are counted (materializers.ts, message-keys.ts) needs a change of these tables too:
 * LiveStore rebuilds a state from the eventlog when the tables' hash changes, never for a materializer's change.
 */
export const messageKeys = table({
  name: 'messageKeys',
  columns: {
    id: integer({ primaryKey: true }),
    conversation: integer(),
  },
})

export const tables = { conversations, devices, imports, bridgeCursors, messageKeys }
