/**
 * Keeping the worker's packs and this machine's record of them true to each other:
 * - `forOtherLibrary`: locations name packs of one library, sealed with its key; after leaving it and joining or
 *   setting up another, they mean nothing there. The first start in a new library forgets them and queues every
 *   body this machine holds to be stored in the new one.
 * - `removeUnreferencedPacks`: a pack no message or image refers to any more (its conversation purged, its bodies
 *   stored again elsewhere) is removed from the worker, after a grace period. Every machine applies the same
 *   events, so each comes to the same packs; removing one twice is harmless.
 * - `storeAgainWhatIsMissing`: a pack the worker lacks (removed as tampered by a machine that fetched it, lost, or
 *   removed by a machine that had not yet seen a message refer to it again) is stored again by any machine that
 *   holds its bodies: they are queued, so the uploader packs and announces them anew, and the machines still
 *   waiting for them fetch them from the new pack. The messages that refer to its images are queued too: the
 *   machines that keep those images pack them again with the bodies.
 */
import { sql, type Kysely } from 'kysely'
import type { BlobClient } from '../blobs/blob-client'
import type { Database } from '../repository/database-schema'
import { BODY_ELSEWHERE } from '../repository/body-states'

const LIBRARY_KEY = 'bodies.storeId'
/** Packs removed per call: the rest wait for the next run. */
const REMOVALS_PER_CALL = 200

/** Prepares the body tables for library `storeId`; true when they were reset (a library new to this machine). */
export async function forLibrary(db: Kysely<Database>, storeId: string): Promise<boolean> {
  const held = await db
    .selectFrom('hub_meta')
    .select('value')
    .where('key', '=', LIBRARY_KEY)
    .executeTakeFirst()
  if (held?.value === storeId) return false
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('body_locations').execute()
    await trx.deleteFrom('image_locations').execute()
    await trx.deleteFrom('packs_to_remove').execute()
    await trx.deleteFrom('bodies_to_store').execute()
    await sql`INSERT INTO bodies_to_store (message_id)
      SELECT id FROM messages WHERE body_state IS NOT ${sql.lit(BODY_ELSEWHERE)}`.execute(trx)
    await trx
      .insertInto('hub_meta')
      .values({ key: LIBRARY_KEY, value: storeId })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: storeId }))
      .execute()
  })
  return true
}

/**
 * How long a pack stays on the worker after the last message here that referred to it went. The other machines
 * apply the same purge within seconds while connected; until they have, one of them may still store the pack's
 * bodies again in it (its missing-check finds it gone, storeAgainWhatIsMissing), and that machine is the one that
 * would then hold them.
 */
export const REMOVAL_GRACE_MS = 10 * 60_000

/**
 * Removes packs no message here has referred to for `graceMs`; returns how many. A pack referred to again
 * meanwhile is kept.
 */
export async function removeUnreferencedPacks(
  db: Kysely<Database>,
  client: BlobClient,
  graceMs = REMOVAL_GRACE_MS,
): Promise<number> {
  const queued = await db
    .selectFrom('packs_to_remove')
    .select('pack_address')
    .where('queued_at', '<=', Date.now() - graceMs)
    .limit(REMOVALS_PER_CALL)
    .execute()
  let removed = 0
  for (const { pack_address: pack } of queued) {
    const referred = await sql`SELECT 1 FROM body_locations WHERE pack_address = ${pack}
      UNION ALL SELECT 1 FROM image_locations WHERE pack_address = ${pack} LIMIT 1`.execute(db)
    if (referred.rows.length === 0) {
      await client.remove(pack)
      removed++
    }
    await db.deleteFrom('packs_to_remove').where('pack_address', '=', pack).execute()
  }
  return removed
}

/**
 * Asks the worker which packs holding bodies this machine has are missing, and queues those bodies to be stored
 * again. Returns how many bodies were queued. One missing-check per 40 packs: about ten requests per 100,000 messages.
 */
export async function storeAgainWhatIsMissing(db: Kysely<Database>, client: BlobClient): Promise<number> {
  const packs = await db
    .selectFrom('body_locations as l')
    .innerJoin('messages as m', 'm.id', 'l.message_id')
    .select('l.pack_address')
    .distinct()
    .where(sql<boolean>`m.body_state IS NOT ${sql.lit(BODY_ELSEWHERE)}`)
    .union(db.selectFrom('image_locations').select('pack_address'))
    .execute()
  const missing = await client.missing(packs.map((p) => p.pack_address))
  if (missing.length === 0) return 0
  return db.transaction().execute(async (trx) => {
    const result = await sql`INSERT INTO bodies_to_store (message_id)
      SELECT l.message_id FROM body_locations l JOIN messages m ON m.id = l.message_id
      WHERE l.pack_address IN (${sql.join(missing)}) AND m.body_state IS NOT ${sql.lit(BODY_ELSEWHERE)}
        AND NOT EXISTS (SELECT 1 FROM bodies_to_store q WHERE q.message_id = l.message_id)`.execute(trx)
    let queued = Number(result.numAffectedRows ?? 0)
    // Rare (a pack lost), so a scan of the contents for each lost image is affordable.
    const lostImages = await trx
      .selectFrom('image_locations')
      .select('sha256')
      .where('pack_address', 'in', missing)
      .execute()
    for (const { sha256 } of lostImages) {
      const referring = await sql`INSERT INTO bodies_to_store (message_id)
        SELECT m.id FROM messages m WHERE instr(m.content, ${sha256}) > 0
          AND m.body_state IS NOT ${sql.lit(BODY_ELSEWHERE)}
          AND NOT EXISTS (SELECT 1 FROM bodies_to_store q WHERE q.message_id = m.id)`.execute(trx)
      queued += Number(referring.numAffectedRows ?? 0)
    }
    // Forgotten, or the uploader would find the bodies "stored" in the very packs that are gone and announce those.
    await trx.deleteFrom('body_locations').where('pack_address', 'in', missing).execute()
    await trx.deleteFrom('image_locations').where('pack_address', 'in', missing).execute()
    return queued
  })
}
