/**
 * How each event changes the materialised state. Pure: they read only the event (and, where said, the state),
 * so every client that replays the same eventlog ends with the same rows. Events apply in eventlog order, and
 * the later of two conflicting edits wins: that order is the conflict resolution, the same on every client.
 */
import { State } from '@livestore/livestore'
import type { EventMeta } from './event-meta'
import { events, type ConversationFields, type MessageRow } from './events'
import { bridgeCursors, conversations, devices, imports, messages } from './tables'

/** The bridge's cursor moves with the events that carry it (see event-meta.ts). */
const cursorOf = (args: EventMeta & { readonly sqlSeq?: number | undefined }) =>
  args.sqlSeq === undefined
    ? []
    : [
        bridgeCursors
          .insert({ deviceId: args.deviceId, sqlSeq: args.sqlSeq })
          .onConflict('deviceId', 'update', { sqlSeq: args.sqlSeq }),
      ]

const upsertConversation = (conversation: ConversationFields, deviceId: string) => {
  const { id: _id, ...metadata } = conversation
  return conversations.insert({ ...conversation, deviceId }).onConflict('id', 'update', { ...metadata })
}

const setFlags = (id: string, flags: Partial<typeof conversations.Type>) =>
  conversations.update(flags).where({ id })

/**
 * One statement for a whole batch (an import writes thousands of messages per conversation), followed by the
 * conversation's message count. Only the ids are kept in state (see tables.ts).
 */
const upsertMessages = (conversationId: string, rows: readonly MessageRow[]) => [
  {
    sql: `INSERT INTO messages (id, conversationId) SELECT value, $conversationId FROM json_each($ids) WHERE true
      ON CONFLICT (id) DO UPDATE SET conversationId = excluded.conversationId`,
    bindValues: { conversationId, ids: JSON.stringify(rows.map((row) => row.id)) },
    writeTables: new Set(['messages']),
  },
  countMessages(conversationId),
]

const countMessages = (conversationId: string) => ({
  sql: `UPDATE conversations SET messageCount =
    (SELECT count(*) FROM messages WHERE conversationId = $conversationId) WHERE id = $conversationId`,
  bindValues: { conversationId },
  writeTables: new Set(['conversations']),
})

export const materializers = State.SQLite.materializers(events, {
  'v1.ConversationImported': (args) => [
    upsertConversation(args.conversation, args.deviceId),
    ...cursorOf(args),
  ],
  'v1.ConversationCreated': (args) =>
    conversations.insert({ ...args.conversation, deviceId: args.deviceId }).onConflict('id', 'ignore'),
  'v1.ConversationRenamed': (args) => [
    setFlags(args.conversationId, { title: args.title }),
    ...cursorOf(args),
  ],
  'v1.ConversationStarred': (args) => [setFlags(args.conversationId, { starred: true }), ...cursorOf(args)],
  'v1.ConversationUnstarred': (args) => [
    setFlags(args.conversationId, { starred: false }),
    ...cursorOf(args),
  ],
  'v1.ConversationTagged': (args) => [
    setFlags(args.conversationId, { tags: [...args.tags] }),
    ...cursorOf(args),
  ],
  'v1.ConversationArchived': (args) => [setFlags(args.conversationId, { archived: true }), ...cursorOf(args)],
  'v1.ConversationUnarchived': (args) => [
    setFlags(args.conversationId, { archived: false }),
    ...cursorOf(args),
  ],
  'v1.ConversationDeleted': (args) => [
    setFlags(args.conversationId, { deletedAt: args.at }),
    ...cursorOf(args),
  ],
  'v1.ConversationRestored': (args) => [
    setFlags(args.conversationId, { deletedAt: null }),
    ...cursorOf(args),
  ],
  'v1.ConversationPurged': (args) => [
    messages.delete().where({ conversationId: args.conversationId }),
    conversations.delete().where({ id: args.conversationId }),
    ...cursorOf(args),
  ],
  'v1.MessagesAppended': (args) => [...upsertMessages(args.conversationId, args.messages), ...cursorOf(args)],
  'v1.MessagesUpdated': (args) => [...upsertMessages(args.conversationId, args.messages), ...cursorOf(args)],
  'v1.MessagesDeleted': (args) => [
    messages.delete().where({ id: { op: 'IN', value: [...args.ids] } }),
    countMessages(args.conversationId),
    ...cursorOf(args),
  ],
  'v1.DeviceRegistered': ({ deviceId, name, kind, platform, appVersion, at }) =>
    devices
      .insert({ id: deviceId, name, kind, platform, appVersion, registeredAt: at })
      .onConflict('id', 'update', { name, kind, platform, appVersion }),
  'v1.DeviceRenamed': ({ deviceId, name }) =>
    devices.insert({ id: deviceId, name }).onConflict('id', 'update', { name }),
  'v1.DeviceConnected': ({ connectedDeviceId, at }) =>
    devices
      .insert({ id: connectedDeviceId, connectedAt: at })
      .onConflict('id', 'update', { connectedAt: at }),
  'v1.DeviceDisconnected': ({ connectedDeviceId, at }) =>
    devices
      .insert({ id: connectedDeviceId, disconnectedAt: at })
      .onConflict('id', 'update', { disconnectedAt: at }),
  'v1.ImportStarted': ({ importId, deviceId, at, roots }) =>
    imports.insert({ id: importId, deviceId, startedAt: at, roots: [...roots] }).onConflict('id', 'ignore'),
  'v1.ImportFinished': ({ importId, at, conversations: c, messages: m, problems }) =>
    imports
      .update({ finishedAt: at, outcome: { conversations: c, messages: m, problems } })
      .where({ id: importId }),
})
