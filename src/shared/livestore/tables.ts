/**
 * The state LiveStore materialises from the events: what the UI lists and filters without asking the main side.
 * Deliberately small (the renderer holds it in memory): conversation metadata, one short row per message,
 * devices and imports. Bodies and full-text search stay in the SQL repository.
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
    parentId: text({ nullable: true }),
    starred: boolean({ default: false }),
    archived: boolean({ default: false }),
    tags: json({ schema: Schema.Array(Schema.String), default: [] }),
    deletedAt: integer({ nullable: true }),
    messageCount: integer({ default: 0 }),
    /** The device whose repository (or UI) the conversation came from. */
    deviceId: text(),
  },
  indexes: [{ name: 'conversations_last_activity', columns: ['lastActivityAt'] }],
})

/**
 * Which messages each conversation has, and nothing else: bodies, previews, roles and times live in the SQL
 * repository (the reader and search ask the API), and the events carry them between devices. Every client keeps
 * its state database twice in memory (leader and session), so each column here is paid for per message, twice.
 */
export const messages = table({
  name: 'messages',
  columns: {
    id: text({ primaryKey: true }),
    conversationId: text(),
  },
  indexes: [{ name: 'messages_conversation', columns: ['conversationId'] }],
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

export const tables = { conversations, messages, devices, imports, bridgeCursors }
