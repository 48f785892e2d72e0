/**
 * How each event changes the materialised state. Pure: they read only the event (and, where said, the state),
 * so every client that replays the same eventlog ends with the same rows. Events apply in eventlog order, and
 * the later of two conflicting edits wins: that order is the conflict resolution, the same on every client.
 */
import { State } from '@livestore/livestore'
import type { EventMeta } from './event-meta'
import { events, type ConversationFields } from './events'
import { bridgeCursors, conversations, devices, imports } from './tables'

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
 * A conversation's message count moves with the message events: the bridge appends a message once, when its row
 * is new in SQL, and deletes it once, when a row that existed is gone (change-batch.ts folds each tick so), and
 * devices append messages with new ids. So the count is kept without a row per message in every client's state.
 */
const addMessages = (conversationId: string, delta: number) => ({
  sql: `UPDATE conversations SET messageCount = max(0, messageCount + $delta) WHERE id = $conversationId`,
  bindValues: { conversationId, delta },
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
    conversations.delete().where({ id: args.conversationId }),
    ...cursorOf(args),
  ],
  'v1.MessagesAppended': (args) => [
    addMessages(args.conversationId, args.messages.length),
    ...cursorOf(args),
  ],
  // Bodies and previews are the SQL repository's; the state has nothing of a message to update.
  'v1.MessagesUpdated': (args) => cursorOf(args),
  'v1.MessagesDeleted': (args) => [addMessages(args.conversationId, -args.ids.length), ...cursorOf(args)],
  // A registration without a key (an older version) leaves the key an earlier one recorded.
  'v1.DeviceRegistered': ({ deviceId, name, kind, platform, appVersion, at, signingKey }) => {
    const key = signingKey ? { keyFingerprint: signingKey.fingerprint } : {}
    return devices
      .insert({ id: deviceId, name, kind, platform, appVersion, registeredAt: at, ...key })
      .onConflict('id', 'update', { name, kind, platform, appVersion, ...key })
  },
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
  // The audit trail is the record; the state keeps no prices (costs live in the SQL repository).
  'v1.PricesChanged': () => [],
})
