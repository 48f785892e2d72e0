/**
 * Which message bodies this machine holds (repository/body-states.ts), which it has still to store on the sync
 * worker, and where each body is stored there (migration 0017).
 */
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../repository/database-schema'

import { BODY_ELSEWHERE, BODY_FETCHED } from '../repository/body-states'
import { upsertLocations } from './location-rows'

export { BODY_ELSEWHERE, BODY_FETCHED }
/** As a literal in the SQL, not a parameter: SQLite uses a partial index only for a WHERE it can see (0020). */
const ONLY_PREVIEW = sql.lit(BODY_ELSEWHERE)

/** One body of a v1.BodiesPacked event. */
export interface BodyLocation {
  readonly messageId: string
  readonly bodyAddress: string
  readonly offset: number
  readonly length: number
}

/** A location as the table keeps it: the body's pack too. */
export interface StoredBodyLocation extends BodyLocation {
  readonly packAddress: string
}

/**
 * Records where a pack's bodies are (a v1.BodiesPacked applied, or this machine's own upload), for the messages
 * that are here: a message's v1.BodiesPacked always follows its v1.MessagesAppended in the eventlog (the uploader
 * announces only bridged messages), so one that is not here was purged, and a row for it would keep its pack from
 * removal for good. A fetched body whose message now names another body (its machine re-imported it changed) is to
 * be fetched again: its row goes back to BODY_ELSEWHERE and keeps the text it has until the new body arrives.
 */
export async function recordBodyLocations(
  trx: Transaction<Database> | Kysely<Database>,
  packAddress: string,
  bodies: readonly BodyLocation[],
): Promise<void> {
  if (bodies.length === 0) return
  const ids = bodies.map((b) => b.messageId)
  const before = new Map(
    (
      await trx
        .selectFrom('body_locations')
        .select(['message_id', 'body_address'])
        .where('message_id', 'in', ids)
        .execute()
    ).map((row) => [row.message_id, row.body_address]),
  )
  await upsertLocations(
    trx,
    { table: 'body_locations', key: 'message_id' },
    packAddress,
    bodies.map((b) => ({ ...b, key: b.messageId })),
    sql`EXISTS (SELECT 1 FROM messages WHERE id = j.value ->> 0)`,
  )
  const changed = bodies
    .filter((b) => before.has(b.messageId) && before.get(b.messageId) !== b.bodyAddress)
    .map((b) => b.messageId)
  if (changed.length > 0)
    await trx
      .updateTable('messages')
      .set({ body_state: BODY_ELSEWHERE })
      .where('id', 'in', changed)
      .where('body_state', '=', BODY_FETCHED)
      .execute()
}

/** A message whose body this machine wrote and has not stored on the worker yet. */
export interface UnstoredBody {
  readonly messageId: string
  readonly text: string
  readonly content: string | null
  readonly metadata: string
}

/**
 * This machine's own bodies still to store (the queue migration 0017 keeps), the newest conversations first. A round
 * walks the conversations from the newest and takes their queued messages in order (migration 0019 keeps each
 * message's place in the queue, indexed), so it stops when it has enough: 4 ms for 2,000 of a queue of 100,000
 * bodies of 1 KB, where sorting the whole queue through the messages read every queued row (800 ms). A queued
 * message whose conversation is not there is taken after the rest. The bodies are read for the round's messages only.
 */
export async function unstoredBodies(db: Kysely<Database>, limit: number): Promise<UnstoredBody[]> {
  const inOrder = await db
    .selectFrom('conversations as c')
    .crossJoin('bodies_to_store as q')
    .whereRef('q.conversation_id', '=', 'c.id')
    .select('q.message_id')
    // Both descending, as conversations_last_activity is read backwards.
    .orderBy('c.last_activity_at', 'desc')
    .orderBy('c.id', 'desc')
    .orderBy('q.ordinal')
    .limit(limit)
    .execute()
  // Only when the queue is short: the rest of it, read once it is no longer than a round.
  const orphans =
    inOrder.length < limit
      ? await db
          .selectFrom('bodies_to_store as q')
          .leftJoin('conversations as c', 'c.id', 'q.conversation_id')
          .where('c.id', 'is', null)
          .select('q.message_id')
          .limit(limit - inOrder.length)
          .execute()
      : []
  const picked = [...inOrder, ...orphans].map(({ message_id }) => message_id)
  if (picked.length === 0) return []
  const bodies = await db
    .selectFrom('messages')
    .select(['id as messageId', 'text', 'content', 'metadata'])
    .where('id', 'in', picked)
    .execute()
  const byId = new Map(bodies.map((body) => [body.messageId, body]))
  return picked.flatMap((id) => byId.get(id) ?? [])
}

/** The bodies are stored: out of the queue, unless changed again since they were read (then queued anew). */
export async function markStored(
  trx: Transaction<Database> | Kysely<Database>,
  stored: readonly UnstoredBody[],
): Promise<void> {
  for (const { messageId, text, content, metadata } of stored)
    await trx
      .deleteFrom('bodies_to_store')
      .where('message_id', '=', messageId)
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('messages')
            .select('id')
            .where('id', '=', messageId)
            .where('text', '=', text)
            .where(sql<boolean>`content IS ${content}`)
            .where('metadata', '=', metadata),
        ),
      )
      .execute()
}

/** Where bodies with these addresses are stored already (any message's): a body is stored once. */
export async function locationsOfBodies(
  db: Kysely<Database>,
  addresses: readonly string[],
): Promise<Map<string, StoredBodyLocation>> {
  const found = new Map<string, StoredBodyLocation>()
  // SQLite binds at most 32,766 values; a round asks about far fewer, in slices to keep each statement small.
  for (let at = 0; at < addresses.length; at += 500) {
    const rows = await db
      .selectFrom('body_locations')
      .select(['message_id', 'body_address', 'pack_address', 'offset', 'length'])
      .where('body_address', 'in', addresses.slice(at, at + 500))
      .execute()
    for (const row of rows) found.set(row.body_address, storedLocation(row))
  }
  return found
}

/** Bodies this machine lacks whose location is known, the newest conversations first (or one conversation's). */
export async function bodiesToFetch(
  db: Kysely<Database>,
  limit: number,
  conversationId?: string,
): Promise<StoredBodyLocation[]> {
  // Conversations first, from the newest (conversations_last_activity read backwards), so the walk stops at `limit`.
  let query = db
    .selectFrom('conversations as c')
    .crossJoin('messages as m')
    .crossJoin('body_locations as l')
    .whereRef('m.conversation_id', '=', 'c.id')
    .whereRef('l.message_id', '=', 'm.id')
    .select(['l.message_id', 'l.body_address', 'l.pack_address', 'l.offset', 'l.length'])
    .where(sql<boolean>`m.body_state = ${ONLY_PREVIEW}`)
  if (conversationId !== undefined) query = query.where('c.id', '=', conversationId)
  const rows = await query
    .orderBy('c.last_activity_at', 'desc')
    .orderBy('c.id', 'desc')
    .orderBy('m.ordinal')
    .limit(limit)
    .execute()
  return rows.map(storedLocation)
}

/** Message bodies this machine holds only previews of: located and not located yet. */
export async function countBodiesToFetch(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(sql<boolean>`body_state = ${ONLY_PREVIEW}`)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** This machine's bodies not yet stored on the worker. */
export async function countBodiesToStore(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('bodies_to_store')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

interface LocationRow {
  readonly message_id: string
  readonly body_address: string
  readonly pack_address: string
  readonly offset: number
  readonly length: number
}

const storedLocation = (row: LocationRow): StoredBodyLocation => ({
  messageId: row.message_id,
  bodyAddress: row.body_address,
  packAddress: row.pack_address,
  offset: row.offset,
  length: row.length,
})
