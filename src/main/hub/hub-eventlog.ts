/**
 * The authoritative eventlog, stored in the SQL repository (migration 0007). Appends follow LiveStore's
 * SyncBackend contract: a batch must continue exactly from the head (its first event's parent is the head, its
 * sequence numbers are consecutive), otherwise the pusher is behind and gets "server ahead" with the number it
 * should have used; appends are serialised, so two pushers can never both extend the same head.
 */
import { randomUUID } from 'node:crypto'
import type { Kysely, Selectable } from 'kysely'
import type { Database } from '../repository/database-schema'
import { chainHash, GENESIS_HASH } from './event-hash'
import type { ClientIdentity } from './hub-credentials'
import { ensureChainVersion } from './stored-chain'

/** LiveStore's wire form of a confirmed event (LiveStoreEvent.Global.Encoded). */
export interface GlobalEvent {
  readonly name: string
  readonly args: unknown
  readonly seqNum: number
  readonly parentSeqNum: number
  readonly clientId: string
  readonly sessionId: string
}

export interface StoredEvent extends GlobalEvent {
  readonly acceptedAt: number
  readonly hash: string
  /** Who the hub authenticated as the pusher; null for events accepted before it recorded that. */
  readonly pushedBy: ClientIdentity | null
}

/** The event as LiveStore sends it (without the hub's own bookkeeping). */
export const wireEvent = ({
  name,
  args,
  seqNum,
  parentSeqNum,
  clientId,
  sessionId,
}: StoredEvent): GlobalEvent => ({
  name,
  args,
  seqNum,
  parentSeqNum,
  clientId,
  sessionId,
})

/** sync-cf's SyncMetadata: when the hub accepted the event. */
export const syncMetadataOf = (event: StoredEvent) => ({
  _tag: 'SyncMessage.SyncMetadata' as const,
  createdAt: new Date(event.acceptedAt).toISOString(),
})

export type AppendOutcome =
  | { readonly kind: 'appended'; readonly head: number }
  /** The pusher has not seen events up to the head: it must pull and rebase, then push again. */
  | { readonly kind: 'server-ahead'; readonly minimumExpectedNum: number; readonly providedNum: number }
  | { readonly kind: 'invalid'; readonly reason: string }
  /** The pusher may not say this (hub/push-policy.ts, or a client id that belongs to another device). */
  | { readonly kind: 'refused'; readonly reason: string }

export interface HubEventlog {
  readonly backendId: string
  head(): Promise<number>
  /**
   * Appends a batch pushed by `pushedBy`; a client id already used for another device is refused. `acceptedAt`:
   * when a remote accepted each event (a relay's replica keeps the remote's times); now where it says none.
   */
  append(
    batch: readonly GlobalEvent[],
    pushedBy: ClientIdentity,
    acceptedAt?: readonly (number | null)[],
  ): Promise<AppendOutcome>
  /**
   * Events after `cursor`, oldest first, at most `limit`, and no more than `maxBytes` of arguments (as stored, in
   * JSON) unless the first event alone is larger: one message event can carry 500 messages.
   */
  read(cursor: number, limit: number, maxBytes?: number): Promise<StoredEvent[]>
}

export const MAX_PUSH_BATCH = 100
/**
 * What one read of the eventlog takes at most, for a pull page or a transaction of the bridge: a hundred events of
 * 500 messages are 15 MB of JSON, held at once as text, as parsed objects and, for a page, as the frame sent.
 */
export const READ_BYTES = 2 * 2 ** 20

export async function openHubEventlog(
  db: Kysely<Database>,
  now: () => number = Date.now,
): Promise<HubEventlog> {
  const backendId = await ensureBackendId(db)
  await ensureChainVersion(db)
  // One append at a time: the head check and the insert must see the same head.
  let queue: Promise<unknown> = Promise.resolve()
  const serialised = <T>(work: () => Promise<T>): Promise<T> => {
    const result = queue.then(work)
    queue = result.catch(() => undefined)
    return result
  }

  const lastEntry = () =>
    db.selectFrom('hub_events').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst()

  return {
    backendId,
    head: async () => (await lastEntry())?.seq ?? 0,
    append: (batch, pushedBy, acceptedAt) =>
      serialised(async () => {
        const problem = batchProblem(batch)
        if (problem) return { kind: 'invalid', reason: problem }
        if (pushedBy.kind !== 'host') {
          const owner = await clientOwner(db, (batch[0] as GlobalEvent).clientId)
          if (owner !== undefined && owner !== pushedBy.deviceId)
            return { kind: 'refused', reason: `client ${batch[0]?.clientId} pushes for device ${owner}` }
        }
        const last = await lastEntry()
        const head = last?.seq ?? 0
        const first = batch[0] as GlobalEvent
        if (first.parentSeqNum !== head || first.seqNum !== head + 1) {
          if (first.seqNum <= head)
            return { kind: 'server-ahead', minimumExpectedNum: head + 1, providedNum: first.seqNum }
          return { kind: 'invalid', reason: `event ${first.seqNum} does not follow the head ${head}` }
        }
        let previous = last?.hash ?? GENESIS_HASH
        const acceptedHere = now()
        const rows = batch.map((event, i) => {
          previous = chainHash(previous, event)
          return {
            seq: event.seqNum,
            parent_seq: event.parentSeqNum,
            name: event.name,
            args: JSON.stringify(event.args ?? null),
            client_id: event.clientId,
            session_id: event.sessionId,
            accepted_at: acceptedAt?.[i] ?? acceptedHere,
            hash: previous,
            pushed_by_kind: pushedBy.kind,
            pushed_by_device: pushedBy.deviceId,
          }
        })
        await db.transaction().execute((trx) => trx.insertInto('hub_events').values(rows).execute())
        return { kind: 'appended', head: head + batch.length }
      }),
    async read(cursor, limit, maxBytes = Number.POSITIVE_INFINITY) {
      // Streamed, so rows past the byte budget are never read.
      const rows = db
        .selectFrom('hub_events')
        .selectAll()
        .where('seq', '>', cursor)
        .orderBy('seq')
        .limit(limit)
        .stream(STREAM_CHUNK_ROWS)
      const events: StoredEvent[] = []
      let bytes = 0
      for await (const row of rows) {
        bytes += row.args.length
        if (events.length > 0 && bytes > maxBytes) break
        events.push(storedEvent(row))
      }
      return events
    },
  }
}

const STREAM_CHUNK_ROWS = 16

function storedEvent(row: Selectable<Database['hub_events']>): StoredEvent {
  return {
    name: row.name,
    args: JSON.parse(row.args) as unknown,
    seqNum: row.seq,
    parentSeqNum: row.parent_seq,
    clientId: row.client_id,
    sessionId: row.session_id,
    acceptedAt: row.accepted_at,
    hash: row.hash,
    pushedBy:
      row.pushed_by_kind === null || row.pushed_by_device === null
        ? null
        : { kind: row.pushed_by_kind, deviceId: row.pushed_by_device },
  }
}

/** What is wrong with a pushed batch's shape, before the head is even looked at. */
function batchProblem(batch: readonly GlobalEvent[]): string | null {
  if (batch.length === 0) return 'an empty batch'
  if (batch.length > MAX_PUSH_BATCH) return `a batch of ${batch.length} events (at most ${MAX_PUSH_BATCH})`
  for (let i = 1; i < batch.length; i += 1) {
    const [before, event] = [batch[i - 1] as GlobalEvent, batch[i] as GlobalEvent]
    if (event.seqNum !== before.seqNum + 1 || event.parentSeqNum !== before.seqNum)
      return `event ${event.seqNum} does not follow event ${before.seqNum} in the batch`
  }
  return null
}

/**
 * The device a client id has pushed for: the authenticated one, or for events from before the hub recorded it,
 * the device the first event named. Undefined for a client id the eventlog has never seen.
 */
async function clientOwner(db: Kysely<Database>, clientId: string): Promise<string | undefined> {
  const first = await db
    .selectFrom('hub_events')
    .select(['pushed_by_device', 'args'])
    .where('client_id', '=', clientId)
    .orderBy('seq')
    .limit(1)
    .executeTakeFirst()
  if (!first) return undefined
  if (first.pushed_by_device !== null) return first.pushed_by_device
  const named = (JSON.parse(first.args) as { deviceId?: unknown } | null)?.deviceId
  return typeof named === 'string' ? named : ''
}

async function ensureBackendId(db: Kysely<Database>): Promise<string> {
  await db
    .insertInto('hub_meta')
    .values({ key: 'backend_id', value: randomUUID() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute()
  const row = await db
    .selectFrom('hub_meta')
    .select('value')
    .where('key', '=', 'backend_id')
    .executeTakeFirstOrThrow()
  return row.value
}
