/**
 * The LiveStore→SQL half of the bridge: applies confirmed events from the hub's eventlog to the repository, in
 * eventlog order, in one transaction together with the applied-event cursor, so each event is applied exactly
 * once whatever crashes.
 *
 * Conflicts resolve by eventlog order, the same on every client: an event's values are written unless the row
 * has a change in SQL that the other half of the bridge has not yet turned into an event. That change will be
 * an event later in the log, so it is the later edit and wins, in SQL and in LiveStore alike; both edits stay
 * visible in the audit trail. Events this device's repository produced are applied too (their values are
 * already there, so nothing is written) except message batches, whose bodies SQL already has. Every event also
 * says a device was seen: the `devices` table lists each device that wrote, this one included (device-sightings.ts).
 */
import { sql, type Kysely, type Transaction } from 'kysely'
import type { MessageRow } from '../../shared/livestore/events'
import { toSearchText } from '../../shared/search/search-text'
import type { Database } from '../repository/database-schema'
import type { ConfirmedEvent } from './confirmed-events'
import { deviceSightings } from './device-sightings'
import { upsertUsage } from '../repository/usage-writes'
import { BODY_ELSEWHERE, recordBodyLocations, type BodyLocation } from '../bodies/body-locations'
import { recordImageLocations, type ImageLocation } from '../bodies/image-locations'
import type { PriceBook } from '../../shared/usage/pricing'

export const APPLIED_CURSOR = 'events-applied'

type Args = Record<string, unknown> & { deviceId?: string; origin?: string; conversationId?: string }

export interface ApplyContext {
  readonly deviceId: string
  /** The change-feed position the SQL→LiveStore half has turned into events so far. */
  readonly bridgedSeq: number
  /** Prices for the responses other devices' messages carry (each device computes costs with its own). */
  readonly prices: PriceBook
  readonly onSkipped?: (event: ConfirmedEvent, error: unknown) => void
}

/** A position the bridge keeps in SQL by name (0 before it kept one; a transaction is a Kysely too). */
export async function bridgeCursor(db: Kysely<Database>, name: string): Promise<number> {
  const row = await db
    .selectFrom('bridge_cursors')
    .select('position')
    .where('name', '=', name)
    .executeTakeFirst()
  return row?.position ?? 0
}

/** How far the eventlog has been applied. */
export const appliedCursor = (db: Kysely<Database>): Promise<number> => bridgeCursor(db, APPLIED_CURSOR)

/** Applies `events` (consecutive, after the stored cursor) and moves the cursor past them. */
export async function applyEvents(
  trx: Transaction<Database>,
  events: readonly ConfirmedEvent[],
  context: ApplyContext,
): Promise<void> {
  const last = events.at(-1)
  if (!last) return
  const devices = deviceSightings()
  for (const event of events) {
    // This device is known by its registration: its repository's own changes would only move its last sighting,
    // at a row write per run of an import's events.
    if (!fromOwnRepository(event.args as Args | null, context)) devices.note(event)
    // One event that cannot be applied (bad input from a device: a row it refers to is malformed) is reported
    // and skipped; it must not stop every later event from reaching SQL.
    await sql`SAVEPOINT apply_event`.execute(trx)
    try {
      await applyEvent(trx, event, context)
      await sql`RELEASE apply_event`.execute(trx)
    } catch (error) {
      await sql`ROLLBACK TO apply_event`.execute(trx)
      await sql`RELEASE apply_event`.execute(trx)
      context.onSkipped?.(event, error)
    }
  }
  await devices.write(trx, context.onSkipped)
  await trx
    .insertInto('bridge_cursors')
    .values({ name: APPLIED_CURSOR, position: last.seqNum })
    .onConflict((oc) => oc.column('name').doUpdateSet({ position: last.seqNum }))
    .execute()
}

async function applyEvent(
  trx: Transaction<Database>,
  event: ConfirmedEvent,
  context: ApplyContext,
): Promise<void> {
  const args = event.args as Args
  const id = args.conversationId
  const update = async (values: Record<string, unknown>) => {
    if (id && !(await hasUnbridgedChange(trx, id, context))) await updateConversation(trx, id, values)
  }
  switch (event.name) {
    case 'v1.ConversationImported':
    case 'v1.ConversationCreated':
      return upsertConversation(
        trx,
        args.conversation as Record<string, unknown>,
        args.deviceId ?? '',
        context,
      )
    case 'v1.ConversationRenamed':
      return update({ title: toSearchText(String(args.title)) })
    case 'v1.ConversationStarred':
      return update({ starred: 1 })
    case 'v1.ConversationUnstarred':
      return update({ starred: 0 })
    case 'v1.ConversationArchived':
      return update({ archived: 1 })
    case 'v1.ConversationUnarchived':
      return update({ archived: 0 })
    case 'v1.ConversationTagged':
      return update({ tags: JSON.stringify(args.tags) })
    case 'v1.ConversationDeleted':
      return update({ deleted_at: Number(args.at) })
    case 'v1.ConversationRestored':
      return update({ deleted_at: null })
    case 'v1.ConversationPurged':
      if (id && !(await hasUnbridgedChange(trx, id, context)))
        await trx.deleteFrom('conversations').where('id', '=', id).execute()
      return
    case 'v1.MessagesAppended':
    case 'v1.MessagesUpdated':
      if (!fromOwnRepository(args, context) && id)
        await upsertMessages(trx, id, args.messages as MessageRow[], args.deviceId ?? null, context.prices)
      return
    case 'v1.BodiesPacked':
      await recordBodyLocations(trx, args.packAddress as string, args.bodies as BodyLocation[])
      // This machine's own recorded them at its upload, for messages still here: the echo must not bring back one
      // purged since.
      return recordImageLocations(trx, args.packAddress as string, (args.images ?? []) as ImageLocation[], {
        onlyReferenced: args.deviceId === context.deviceId,
      })
    case 'v1.MessagesDeleted':
      if (!fromOwnRepository(args, context))
        await trx
          .deleteFrom('messages')
          .where('id', 'in', args.ids as string[])
          .execute()
      return
    default:
    // Imports live in LiveStore's state and the eventlog; devices are written once per run (applyEvents).
  }
}

/** An event the bridge made from this device's repository: SQL already holds what it says. */
const fromOwnRepository = (args: Args | null | undefined, context: ApplyContext): boolean =>
  args?.deviceId === context.deviceId && (args.origin === 'import' || args.origin === 'sql')

/** True when SQL has a change to this conversation that is not yet in the eventlog (it is the later edit). */
async function hasUnbridgedChange(
  trx: Transaction<Database>,
  id: string,
  context: ApplyContext,
): Promise<boolean> {
  const row = await trx
    .selectFrom('changes')
    .select('seq')
    .where('seq', '>', context.bridgedSeq)
    .where('entity', '=', 'conversation')
    .where('entity_id', '=', id)
    .where('origin', '!=', 'bridge')
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}

/** Writes only columns whose values differ, so an event SQL already reflects writes nothing (no change row). */
async function updateConversation(trx: Transaction<Database>, id: string, values: Record<string, unknown>) {
  const differs = Object.entries(values).map(([column, value]) => sql`${sql.ref(column)} IS NOT ${value}`)
  await trx
    .updateTable('conversations')
    .set(values)
    .where('id', '=', id)
    .where(sql<boolean>`(${sql.join(differs, sql` OR `)})`)
    .execute()
}

async function upsertConversation(
  trx: Transaction<Database>,
  c: Record<string, unknown>,
  deviceId: string,
  context: ApplyContext,
) {
  const id = String(c.id)
  const values = {
    source: c.source as Database['conversations']['source'],
    source_id: String(c.sourceId),
    title: toSearchText(String(c.title)),
    workspace: (c.workspace as string | null) ?? null,
    model: (c.model as string | null) ?? null,
    created_at: Number(c.createdAt),
    updated_at: Number(c.updatedAt),
    last_activity_at: Number(c.lastActivityAt),
    tokens_in: Number(c.tokensIn),
    tokens_out: Number(c.tokensOut),
    cache_reads: Number(c.cacheReads),
    cache_writes: Number(c.cacheWrites),
    cost: Number(c.cost),
    unpriced: Number(c.unpriced ?? 0),
    parent_id: (c.parentId as string | null) ?? null,
  }
  const exists = await trx.selectFrom('conversations').select('id').where('id', '=', id).executeTakeFirst()
  if (!exists) {
    await trx
      .insertInto('conversations')
      .values({ id, ...values, metadata: JSON.stringify({ fromDevice: deviceId }) })
      .execute()
  } else if (!(await hasUnbridgedChange(trx, id, context))) {
    await updateConversation(trx, id, values)
  }
}

async function upsertMessages(
  trx: Transaction<Database>,
  conversationId: string,
  rows: readonly MessageRow[],
  deviceId: string | null,
  prices: PriceBook,
) {
  const exists = await trx
    .selectFrom('conversations')
    .select('id')
    .where('id', '=', conversationId)
    .executeTakeFirst()
  if (!exists || rows.length === 0) return // a purged conversation: its messages have nowhere to go
  // Two devices can append at the same position at once; the later one (in eventlog order) moves to the end.
  const taken = await trx
    .selectFrom('messages')
    .select(['id', 'ordinal'])
    .where('conversation_id', '=', conversationId)
    .where(
      'ordinal',
      'in',
      rows.map((m) => m.ordinal),
    )
    .execute()
  const clash = new Set(
    taken.filter((t) => !rows.some((m) => m.id === t.id && m.ordinal === t.ordinal)).map((t) => t.ordinal),
  )
  let next = clash.size === 0 ? 0 : await nextOrdinal(trx, conversationId)
  await trx
    .insertInto('messages')
    .values(
      rows.map((m) => ({
        id: m.id,
        conversation_id: conversationId,
        ordinal: clash.has(m.ordinal) ? next++ : m.ordinal,
        role: m.role,
        kind: m.kind,
        created_at: m.createdAt,
        // A message from another device's repository travels as its preview; its body stays there.
        text: toSearchText(m.text ?? m.preview),
        device_id: deviceId,
        metadata: '{}',
        body_state: m.text === undefined ? BODY_ELSEWHERE : null,
      })),
    )
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        role: eb.ref('excluded.role'),
        kind: eb.ref('excluded.kind'),
        created_at: eb.ref('excluded.created_at'),
        // A preview never replaces a body this repository holds: the same session imported here too (a synced
        // ~/.claude) has its whole text here, and the other device's event only its first characters.
        text: sql<string>`CASE WHEN excluded.body_state = ${BODY_ELSEWHERE} AND messages.body_state IS NOT ${BODY_ELSEWHERE}
          THEN messages.text ELSE excluded.text END`,
      })),
    )
    .execute()
  const carrying = rows.filter((m) => m.usage !== undefined)
  if (carrying.length > 0)
    await upsertUsage(
      trx,
      carrying.map((m) => ({ ...m, conversationId, deviceId, text: '' })),
      prices,
    )
}

async function nextOrdinal(trx: Transaction<Database>, conversationId: string): Promise<number> {
  const row = await trx
    .selectFrom('messages')
    .select((eb) => eb.fn.max('ordinal').as('last'))
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst()
  return (row?.last ?? -1) + 1
}
