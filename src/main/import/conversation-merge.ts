/**
 * Writes one conversation's read into the repository without ever losing a message (merge-order.ts decides the
 * order). The repository is the user's archive: a message an import no longer finds in its source stays, marked
 * with the time it was found gone, and a later read that has it again clears the mark.
 */
import { sql, type Transaction } from 'kysely'
import { toSearchText } from '../../shared/search/search-text'
import type { Database } from '../repository/database-schema'
import { chunks, type MessageInput, type RepositoryWriter } from '../repository/writes'
import { planMerge, type HeldMessage } from './merge-order'
import type { ImportedConversation } from './source-adapter'

/** Sets many rows' ordinals in a few statements. */
async function setOrdinals(trx: Transaction<Database>, ordinals: ReadonlyMap<string, number>): Promise<void> {
  for (const part of chunks([...ordinals])) {
    const cases = sql.join(
      part.map(([id, ordinal]) => sql`WHEN ${id} THEN ${ordinal}`),
      sql` `,
    )
    await sql`UPDATE messages SET ordinal = CASE id ${cases} END WHERE id IN (${sql.join(part.map(([id]) => id))})`.execute(
      trx,
    )
  }
}

/** Positional ids (`…#12`) are what every adapter wrote before message ids came from the source's own keys. */
const POSITIONAL_ID = /#\d+$/

/**
 * Messages imported under positional ids before their source's own keys were used are the same messages as the
 * read's new ones of the same role and text: those rows make way for the new ids (deleted, then written again by
 * the read with the same content), so an upgrade does not show every message twice. Returns what is still held.
 */
async function renameLegacy(
  trx: Transaction<Database>,
  held: readonly HeldMessage[],
  messages: readonly MessageInput[],
  firstOrdinal: number,
): Promise<readonly HeldMessage[]> {
  // Only a read keyed by its source's own names can replace positional ids; the messages before a checkpoint
  // were not read and are never candidates.
  if (messages.every((m) => POSITIONAL_ID.test(m.id))) return held
  const readIds = new Set(messages.map((m) => m.id))
  const heldIds = new Set(held.map((m) => m.id))
  const legacy = held.filter(
    (m) =>
      m.ordinal >= firstOrdinal && !readIds.has(m.id) && POSITIONAL_ID.test(m.id) && m.leftSourceAt === null,
  )
  const fresh = messages.filter((m) => !heldIds.has(m.id))
  if (legacy.length === 0 || fresh.length === 0) return held
  const waiting = new Map<string, number>()
  for (const m of fresh) {
    const key = `${m.role}\0${toSearchText(m.text)}`
    waiting.set(key, (waiting.get(key) ?? 0) + 1)
  }
  const renamed: string[] = []
  for (const part of chunks(legacy.map((m) => m.id))) {
    const rows = await trx
      .selectFrom('messages')
      .select(['id', 'role', 'text'])
      .where('id', 'in', part)
      .execute()
    for (const row of rows) {
      const key = `${row.role}\0${row.text}`
      const left = waiting.get(key) ?? 0
      if (left === 0) continue
      waiting.set(key, left - 1)
      renamed.push(row.id)
    }
  }
  for (const part of chunks(renamed)) await trx.deleteFrom('messages').where('id', 'in', part).execute()
  const gone = new Set(renamed)
  return held.filter((m) => !gone.has(m.id))
}

/** Whether a unit other than `unitKey` has imported the conversation (import_units.conversation_ids). */
export async function carriedElsewhere(
  trx: Transaction<Database>,
  conversationId: string,
  unitKey: string,
): Promise<boolean> {
  const row = await sql<{ unit: string }>`
    SELECT u.unit FROM import_units u, json_each(u.conversation_ids) c
    WHERE c.value = ${conversationId} AND u.unit <> ${unitKey} LIMIT 1`.execute(trx)
  return row.rows.length > 0
}

/**
 * Merges a read of a conversation the repository already holds. `newest`: the read is at least as recent as
 * what is held (by the conversation's updatedAt); `unitKey`: the unit it was read from. Returns how many messages
 * were found gone from their source.
 */
export async function mergeConversation(
  trx: Transaction<Database>,
  writer: RepositoryWriter,
  read: ImportedConversation,
  newest: boolean,
  unitKey: string,
  now: number,
): Promise<number> {
  const { conversation, messages, firstOrdinal = 0 } = read
  const rows = await trx
    .selectFrom('messages')
    .select(['id', 'ordinal', 'left_source_at'])
    .where('conversation_id', '=', conversation.id)
    .execute()
  let held: readonly HeldMessage[] = rows.map((r) => ({
    id: r.id,
    ordinal: r.ordinal,
    leftSourceAt: r.left_source_at,
  }))
  if (newest) held = await renameLegacy(trx, held, messages, firstOrdinal)
  const plan = planMerge(
    held,
    messages.map((m) => m.id),
    firstOrdinal,
    newest,
  )
  // Ordinals are unique per conversation: the ones that change are first moved out of the way (below zero).
  if (plan.reordered.size > 0)
    await setOrdinals(trx, new Map([...plan.reordered].map(([id, ordinal]) => [id, -1 - ordinal])))
  const writes = messages.filter((m) => plan.writes.has(m.id))
  await writer.upsertMessages(
    writes.map((m) => {
      const ordinal = plan.writes.get(m.id) as number
      return ordinal === m.ordinal ? m : { ...m, ordinal }
    }),
  )
  if (plan.moves.size > 0) await setOrdinals(trx, plan.moves)
  // What this unit lacks may still be in another unit that carries the conversation (two exports, a copied task
  // folder): gone from its source only when the conversation has no other.
  if (plan.gone.length === 0 || (await carriedElsewhere(trx, conversation.id, unitKey))) return 0
  for (const part of chunks(plan.gone))
    await trx.updateTable('messages').set({ left_source_at: now }).where('id', 'in', part).execute()
  return plan.gone.length
}
