/** Row types of the SQL repository, as Kysely sees them. Times are epoch milliseconds; JSON columns are text. */
import type { Generated } from 'kysely'
import type { MessageKind, Role, Source } from '../../shared/domain'
import type { BodyState } from './body-states'

export interface ConversationsTable {
  pk: Generated<number>
  id: string
  source: Source
  source_id: string
  /** Prepared for the full-text index like messages.text (see toSearchText). */
  title: string
  workspace: string | null
  model: string | null
  created_at: number
  updated_at: number
  last_activity_at: number
  tokens_in: number
  tokens_out: number
  cache_reads: number
  cache_writes: number
  cost: number
  /** Responses without a price (migration 0011); `cost` sums the priced ones. */
  unpriced: Generated<number>
  parent_id: string | null
  starred: Generated<number>
  archived: Generated<number>
  tags: Generated<string>
  deleted_at: number | null
  metadata: string
}

export interface MessagesTable {
  pk: Generated<number>
  id: string
  conversation_id: string
  ordinal: number
  role: Role
  kind: MessageKind
  created_at: number | null
  /** What the full-text index holds (see toSearchText). */
  text: string
  /** Structured content as JSON; NULL when the message is exactly its text. */
  content: string | null
  device_id: string | null
  parent_id: string | null
  metadata: string
  /** When an import first found the message gone from its source (migration 0010); null while it is there. */
  left_source_at: number | null
  /** Where its body came from (body-states.ts, migration 0020); null for a body this machine wrote. */
  body_state: BodyState | null
}

/** One API response's tokens and cost (migration 0011), keyed by its conversation and the response's key. */
export interface UsageTable {
  conversation_id: string
  /** ResponseUsage.responseKey: names the response within its conversation. */
  response_key: string
  /** The message carrying the response's final figures. */
  message_id: string
  at: number
  /** '' when the source names no model. */
  model: string
  /** '' when the device is not known. */
  device_id: string
  tokens_in: number
  tokens_out: number
  cache_writes: number
  cache_writes_1h: number
  cache_reads: number
  logged_cost: number | null
  /** logged_cost, else the price table's; null when unpriced. */
  cost: number | null
  cost_uncached: number | null
}

/** `usage` summed per UTC hour (at / 3,600,000), conversation, model and device; kept by triggers. */
export interface UsageHourlyTable {
  hour: number
  conversation_id: string
  model: string
  device_id: string
  responses: number
  tokens_in: number
  tokens_out: number
  cache_writes: number
  cache_writes_1h: number
  cache_reads: number
  cost: number
  cost_uncached: number
  unpriced: number
}

export interface DevicesTable {
  id: string
  name: string
  platform: string
  kind: string
  app_version: string
  first_seen_at: number
  last_seen_at: number
}

export type ChangeOp = 'insert' | 'update' | 'delete'
export type ChangeEntity = 'conversation' | 'message' | 'device'

export interface ChangesTable {
  seq: Generated<number>
  entity: ChangeEntity
  entity_id: string
  op: ChangeOp
  origin: string
  at: number
  data: string | null
}

export interface SchemaMigrationsTable {
  version: number
  description: string
  checksum: string
  executed_at: number
  execution_ms: number
}

export interface WriteOriginTable {
  id: number
  origin: string
  /** The first pk of the open transaction's new messages, which it indexes itself before committing (0013). */
  fts_from: number | null
}

export interface ImportUnitsTable {
  unit: string
  source: string
  fingerprint: string
  /** JSON: [{ path, size, mtimeMs }] */
  files: string
  status: 'imported' | 'failed' | 'retry'
  error: string | null
  /** JSON: string[] */
  conversation_ids: Generated<string>
  messages: Generated<number>
  imported_at: number
  /** The adapter's checkpoint for reading on from where this import stopped (JSON), or null. */
  resume: string | null
}

export interface HubEventsTable {
  seq: number
  parent_seq: number
  name: string
  /** JSON: the event's encoded args */
  args: string
  client_id: string
  session_id: string
  accepted_at: number
  /** hex SHA-256 over the previous hash and the canonical event (hub/event-hash.ts) */
  hash: string
  /** How the hub authenticated the pusher (migration 0009); null for events from before it. */
  pushed_by_kind: 'host' | 'relay' | 'ui' | 'device' | null
  pushed_by_device: string | null
}

export interface HubMetaTable {
  key: string
  value: string
}

export interface BridgeCursorsTable {
  name: string
  position: number
}

/** Where a message's body is stored on the sync worker (migration 0017, bodies/body-locations.ts). */
export interface BodyLocationsTable {
  message_id: string
  /** The body's keyed content address (blobs/blob-address.ts). */
  body_address: string
  /** The pack that holds it, and where in the pack's plaintext (blobs/body-pack.ts). */
  pack_address: string
  offset: number
  length: number
}

/** Where an image kept in images/ is stored on the sync worker (migration 0017, bodies/image-locations.ts). */
export interface ImageLocationsTable {
  /** The image's SHA-256 (hex): its name in images/. */
  sha256: string
  /** The keyed content address of its bytes, and where they are in which pack, as for a body. */
  body_address: string
  pack_address: string
  offset: number
  length: number
}

/** The bodies this machine wrote and has not stored on the sync worker yet (migration 0017). */
export interface BodiesToStoreTable {
  message_id: string
  /** The message's, for the queue's order only (migration 0019 fills them on insert). */
  conversation_id: Generated<string | null>
  ordinal: Generated<number | null>
}

/** Packs no message refers to any more, to remove from the sync worker (migration 0017). */
export interface PacksToRemoveTable {
  pack_address: string
  /** When the last message here that referred to it went (epoch ms). */
  queued_at: number
}

/** Which message's content refers to which image kept in images/ (migration 0018, kept by triggers). */
export interface MessageImagesTable {
  message_id: string
  sha256: string
}

export interface Database {
  conversations: ConversationsTable
  messages: MessagesTable
  usage: UsageTable
  usage_hourly: UsageHourlyTable
  devices: DevicesTable
  changes: ChangesTable
  schema_migrations: SchemaMigrationsTable
  write_origin: WriteOriginTable
  import_units: ImportUnitsTable
  hub_events: HubEventsTable
  hub_meta: HubMetaTable
  bridge_cursors: BridgeCursorsTable
  body_locations: BodyLocationsTable
  image_locations: ImageLocationsTable
  bodies_to_store: BodiesToStoreTable
  packs_to_remove: PacksToRemoveTable
  message_images: MessageImagesTable
}
