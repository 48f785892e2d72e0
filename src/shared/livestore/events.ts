/**
 * Chronicle's events. Names are `v1.<Entity><PastTense>`; an event once released is never removed or changed,
 * only deprecated and superseded by a new version, because old eventlogs are replayed forever.
 *
 * Message bodies stay in the SQL repository: the events the bridge makes from it carry short previews only.
 * A message made through LiveStore itself (another device, the simulator) carries its text, because no SQL row
 * holds it yet.
 */
import { Events, Schema } from '@livestore/livestore'
import { MESSAGE_KINDS, ROLES, SOURCES } from '../domain'
import { eventMeta, sqlSeq } from './event-meta'

const conversationFields = {
  id: Schema.String,
  source: Schema.Literal(...SOURCES),
  sourceId: Schema.String,
  title: Schema.String,
  workspace: Schema.NullOr(Schema.String),
  model: Schema.NullOr(Schema.String),
  createdAt: Schema.Number,
  updatedAt: Schema.Number,
  lastActivityAt: Schema.Number,
  tokensIn: Schema.Number,
  tokensOut: Schema.Number,
  cacheReads: Schema.Number,
  cacheWrites: Schema.Number,
  cost: Schema.Number,
  /** Responses without a price (left out of `cost`); absent from events made before costs were computed. */
  unpriced: Schema.optional(Schema.Number),
  parentId: Schema.NullOr(Schema.String),
}

export const ConversationFields = Schema.Struct(conversationFields)
export type ConversationFields = typeof ConversationFields.Type

const Count = Schema.Number.pipe(Schema.finite(), Schema.nonNegative())
/** A byte position or length within a pack. */
const Offset = Schema.Number.pipe(Schema.int(), Schema.nonNegative())
/** A keyed content address (src/main/blobs/blob-address.ts): 64 lowercase hexadecimal characters. */
const BlobAddress = Schema.String.pipe(Schema.pattern(/^[0-9a-f]{64}$/))
/** An image's SHA-256 in hex: its name in images/. */
const Sha256 = Schema.String.pipe(Schema.pattern(/^[0-9a-f]{64}$/))

/**
 * The API response a message carries the figures of (src/shared/usage/response-usage.ts): token counts and the
 * cost the source logged, never a computed cost, which each device computes with its own price table.
 */
export const ResponseUsageRow = Schema.Struct({
  responseKey: Schema.String,
  model: Schema.NullOr(Schema.String),
  tokensIn: Count,
  tokensOut: Count,
  cacheWrites: Count,
  cacheWrites1h: Count,
  cacheReads: Count,
  loggedCost: Schema.NullOr(Count),
})

export const MessageRow = Schema.Struct({
  id: Schema.String,
  ordinal: Schema.Number,
  role: Schema.Literal(...ROLES),
  kind: Schema.Literal(...MESSAGE_KINDS),
  createdAt: Schema.NullOr(Schema.Number),
  /** The first characters of the text, for lists; the body is in SQL. */
  preview: Schema.String,
  /** Only when the message was made outside SQL (see the module comment). */
  text: Schema.optional(Schema.String),
  /** Only on a message that carries a response's figures; absent from events made before usage was counted. */
  usage: Schema.optional(ResponseUsageRow),
})
export type MessageRow = typeof MessageRow.Type
export type ResponseUsageRow = typeof ResponseUsageRow.Type

/** The fields of every event about one conversation. */
const aboutConversation = { ...eventMeta, sqlSeq, conversationId: Schema.String }

/**
 * The fields of a person's edit of a conversation. `seen`: the newest event of the library, confirmed by its sync
 * backend, that the author's view had applied when the edit was made. An edit that a later one overrode was
 * concurrent with it when the later one's `seen` is below it (src/main/audit/overrides.ts). Absent from edits made
 * before it was recorded.
 */
const anEdit = {
  ...aboutConversation,
  seen: Schema.optional(Schema.Number.pipe(Schema.int(), Schema.nonNegative())),
}

export const DEVICE_KINDS = ['desktop', 'web', 'cli', 'simulator'] as const

const IMPORT_COUNTS = Schema.Struct({
  added: Schema.Number,
  updated: Schema.Number,
  unchanged: Schema.Number,
  removed: Schema.Number,
})

export const events = {
  /** The repository's row for a conversation (new or changed metadata), from an import or another SQL writer. */
  conversationImported: Events.synced({
    name: 'v1.ConversationImported',
    schema: Schema.Struct({ ...eventMeta, sqlSeq, conversation: ConversationFields }),
  }),
  /** A conversation begun in Chronicle itself (source 'chronicle'), on this or another device. */
  conversationCreated: Events.synced({
    name: 'v1.ConversationCreated',
    schema: Schema.Struct({ ...eventMeta, conversation: ConversationFields }),
  }),
  conversationRenamed: Events.synced({
    name: 'v1.ConversationRenamed',
    schema: Schema.Struct({ ...anEdit, title: Schema.String }),
  }),
  conversationStarred: Events.synced({
    name: 'v1.ConversationStarred',
    schema: Schema.Struct({ ...anEdit }),
  }),
  conversationUnstarred: Events.synced({
    name: 'v1.ConversationUnstarred',
    schema: Schema.Struct({ ...anEdit }),
  }),
  /** The whole tag set after the change, so replays and concurrent edits resolve to one order-defined value. */
  conversationTagged: Events.synced({
    name: 'v1.ConversationTagged',
    schema: Schema.Struct({ ...anEdit, tags: Schema.Array(Schema.String) }),
  }),
  conversationArchived: Events.synced({
    name: 'v1.ConversationArchived',
    schema: Schema.Struct({ ...anEdit }),
  }),
  conversationUnarchived: Events.synced({
    name: 'v1.ConversationUnarchived',
    schema: Schema.Struct({ ...anEdit }),
  }),
  /** Soft delete: hidden, undoable with v1.ConversationRestored; the rows stay. */
  conversationDeleted: Events.synced({
    name: 'v1.ConversationDeleted',
    schema: Schema.Struct({ ...anEdit }),
  }),
  conversationRestored: Events.synced({
    name: 'v1.ConversationRestored',
    schema: Schema.Struct({ ...anEdit }),
  }),
  /** The row is gone from the repository (an outside writer deleted it, or its source vanished). */
  conversationPurged: Events.synced({
    name: 'v1.ConversationPurged',
    schema: Schema.Struct({ ...aboutConversation }),
  }),

  /** New messages of one conversation, batched: one event per conversation per bridge tick. */
  messagesAppended: Events.synced({
    name: 'v1.MessagesAppended',
    schema: Schema.Struct({ ...aboutConversation, messages: Schema.Array(MessageRow) }),
  }),
  messagesUpdated: Events.synced({
    name: 'v1.MessagesUpdated',
    schema: Schema.Struct({ ...aboutConversation, messages: Schema.Array(MessageRow) }),
  }),
  messagesDeleted: Events.synced({
    name: 'v1.MessagesDeleted',
    schema: Schema.Struct({ ...aboutConversation, ids: Schema.Array(Schema.String) }),
  }),

  deviceRegistered: Events.synced({
    name: 'v1.DeviceRegistered',
    schema: Schema.Struct({
      ...eventMeta,
      name: Schema.String,
      kind: Schema.Literal(...DEVICE_KINDS),
      platform: Schema.String,
      appVersion: Schema.String,
      /**
       * The device's Ed25519 key that signs its audit exports (base64 SubjectPublicKeyInfo DER) and its
       * fingerprint: the trail itself says which keys belong to which devices, and `audit verify` trusts those.
       * Absent from registrations made before devices recorded their key.
       */
      signingKey: Schema.optional(Schema.Struct({ publicKey: Schema.String, fingerprint: Schema.String })),
    }),
  }),
  deviceRenamed: Events.synced({
    name: 'v1.DeviceRenamed',
    schema: Schema.Struct({ ...eventMeta, name: Schema.String }),
  }),
  /** Recorded by the hub's device for the audit trail; live presence comes from the hub itself. */
  deviceConnected: Events.synced({
    name: 'v1.DeviceConnected',
    schema: Schema.Struct({ ...eventMeta, connectedDeviceId: Schema.String, clientId: Schema.String }),
  }),
  deviceDisconnected: Events.synced({
    name: 'v1.DeviceDisconnected',
    schema: Schema.Struct({ ...eventMeta, connectedDeviceId: Schema.String, clientId: Schema.String }),
  }),

  importStarted: Events.synced({
    name: 'v1.ImportStarted',
    schema: Schema.Struct({ ...eventMeta, importId: Schema.String, roots: Schema.Array(Schema.String) }),
  }),
  importFinished: Events.synced({
    name: 'v1.ImportFinished',
    schema: Schema.Struct({
      ...eventMeta,
      importId: Schema.String,
      conversations: IMPORT_COUNTS,
      messages: IMPORT_COUNTS,
      problems: Schema.Number,
    }),
  }),

  /** The price table changed (src/main/usage/price-change.ts) and every stored cost was computed again with it. */
  pricesChanged: Events.synced({
    name: 'v1.PricesChanged',
    schema: Schema.Struct({
      ...eventMeta,
      /** Where the table came from (the file chosen, or the bundled table's source) and the day of its prices. */
      source: Schema.String,
      date: Schema.String,
      /** SHA-256 (hex) of the table's file, and how many models it prices. */
      sha256: Schema.String,
      models: Schema.Number,
    }),
  }),

  /**
   * Where message bodies are stored on the sync worker: one pack (blobs/body-pack.ts) under its keyed address, and
   * for each message the address of its body and its bytes in the pack's plaintext. Made only by the machine that
   * stored the pack, after the worker confirmed it (bodies/body-uploader.ts); every other machine fetches from it
   * the bodies it holds only previews of, and the images it is asked for. A pack's bodies (and images) are announced
   * in events of at most BODIES_PER_EVENT each.
   */
  bodiesPacked: Events.synced({
    name: 'v1.BodiesPacked',
    schema: Schema.Struct({
      ...eventMeta,
      packAddress: BlobAddress,
      bodies: Schema.Array(
        Schema.Struct({ messageId: Schema.String, bodyAddress: BlobAddress, offset: Offset, length: Offset }),
      ),
      /** Images kept in images/ that the pack holds too, by their SHA-256: the same image is packed once. */
      images: Schema.optional(
        Schema.Array(
          Schema.Struct({ sha256: Sha256, bodyAddress: BlobAddress, offset: Offset, length: Offset }),
        ),
      ),
    }),
  }),

  /**
   * In place of an event the sync Worker served that a machine's relay refuses (it does not open, its signature
   * fails, it names a device another machine speaks for, or Chronicle's schema refuses it): every machine refuses
   * the same events for the same reason and stores this instead, so their eventlogs stay alike and sync goes on.
   * Made only by a relay (push-policy.ts refuses it from any client); `at` is the Worker's acceptance time.
   */
  remoteEventRefused: Events.synced({
    name: 'v1.RemoteEventRefused',
    schema: Schema.Struct({ ...eventMeta, refusedName: Schema.String, reason: Schema.String }),
  }),
}

/** A conversation begun in Chronicle itself: no source file, no usage yet. */
export const newChronicleConversation = (id: string, title: string, at: number): ConversationFields => ({
  id,
  source: 'chronicle',
  sourceId: id,
  title,
  workspace: null,
  model: null,
  createdAt: at,
  updatedAt: at,
  lastActivityAt: at,
  tokensIn: 0,
  tokensOut: 0,
  cacheReads: 0,
  cacheWrites: 0,
  cost: 0,
  parentId: null,
})

/** The most bodies one v1.BodiesPacked names, so an event stays the size of a message batch's. */
export const BODIES_PER_EVENT = 500

/** The longest preview an event carries. */
export const PREVIEW_CHARS = 160
