/**
 * How each event changes the materialised state. Pure: they read only the event (and, where said, the state),
 * so every client that replays the same eventlog ends with the same rows. Events apply in eventlog order, and
 * the later of two conflicting edits wins: that order is the conflict resolution, the same on every client.
 */
import { State } from '@livestore/livestore'
import type { EventMeta } from './event-meta'
import { events, type ConversationFields } from './events'
import { conversationKey, ROW_SUFFIX_BITS, rowPrefix, rowSuffix } from './message-keys'
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
 * A conversation's message count is the number of its keys in messageKeys, counted again after each change, so a
 * message appended twice (two machines that imported the same files while apart both announce it, and the rebase
 * keeps both events) counts once, a delete counts down only what was counted, and every client that replays the
 * same eventlog has the same count. The cost: a row per message in each copy of the state (tables.ts: 2.4 MB for
 * 100,000 messages), and a count over the conversation's range of rows per message event. The keys travel as one
 * JSON text, so any number of them take one statement.
 */
const messageKeyStatements = (
  conversationId: string,
  ids: readonly string[],
  change: 'insert' | 'delete',
) => {
  const bindValues = {
    ...conversationRows(conversationId),
    keys: JSON.stringify(ids.map((id) => rowSuffix(conversationId, id))),
  }
  const rowid = `(CAST($prefix AS INTEGER) << ${ROW_SUFFIX_BITS}) + value`
  const write =
    change === 'insert'
      ? `INSERT OR IGNORE INTO messageKeys (id, conversation)
           SELECT ${rowid}, CAST($conversationKey AS INTEGER) FROM json_each($keys)`
      : `DELETE FROM messageKeys
           WHERE id IN (SELECT ${rowid} FROM json_each($keys)) AND conversation = CAST($conversationKey AS INTEGER)`
  return [{ sql: write, bindValues, writeTables: new Set(['messageKeys']) }, recount(conversationId)]
}

/**
 * What finds a conversation's rows: its range of rowids (message-keys.ts), and its key within the range. Bound as
 * text: a JS number is bound as a REAL, and the key has 53 bits.
 */
const conversationRows = (conversationId: string) => ({
  prefix: String(rowPrefix(conversationId)),
  conversationKey: String(conversationKey(conversationId)),
})
const IN_RANGE = `id BETWEEN (CAST($prefix AS INTEGER) << ${ROW_SUFFIX_BITS})
    AND (CAST($prefix AS INTEGER) << ${ROW_SUFFIX_BITS}) + ${2 ** ROW_SUFFIX_BITS - 1}
  AND conversation = CAST($conversationKey AS INTEGER)`

const recount = (conversationId: string) => ({
  sql: `UPDATE conversations SET messageCount = (SELECT count(*) FROM messageKeys WHERE ${IN_RANGE})
        WHERE id = $conversationId`,
  bindValues: { ...conversationRows(conversationId), conversationId },
  writeTables: new Set(['conversations']),
})

/** A purged conversation forgets its messages, so a later import of the same files counts them again. */
const forgetMessages = (conversationId: string) => ({
  sql: `DELETE FROM messageKeys WHERE ${IN_RANGE}`,
  bindValues: conversationRows(conversationId),
  writeTables: new Set(['messageKeys']),
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
    forgetMessages(args.conversationId),
    ...cursorOf(args),
  ],
  'v1.MessagesAppended': (args) => [
    ...messageKeyStatements(
      args.conversationId,
      args.messages.map((message) => message.id),
      'insert',
    ),
    ...cursorOf(args),
  ],
  // Bodies and previews are the SQL repository's; the state has nothing of a message to update.
  'v1.MessagesUpdated': (args) => cursorOf(args),
  'v1.MessagesDeleted': (args) => [
    ...messageKeyStatements(args.conversationId, args.ids, 'delete'),
    ...cursorOf(args),
  ],
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
  // Where bodies are stored matters to the main process only, which keeps it in SQL (bridge/apply-events.ts).
  'v1.BodiesPacked': () => [],
  // A refused event changes nothing; the audit trail shows it.
  'v1.RemoteEventRefused': () => [],
  'v1.ImportStarted': ({ importId, deviceId, at, roots }) =>
    imports.insert({ id: importId, deviceId, startedAt: at, roots: [...roots] }).onConflict('id', 'ignore'),
  'v1.ImportFinished': ({ importId, at, conversations: c, messages: m, problems }) =>
    imports
      .update({ finishedAt: at, outcome: { conversations: c, messages: m, problems } })
      .where({ id: importId }),
  // The audit trail is the record; the state keeps no prices (costs live in the SQL repository).
  'v1.PricesChanged': () => [],
})
