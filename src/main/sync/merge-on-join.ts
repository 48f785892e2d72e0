/**
 * A machine that joins a library while it holds a library of its own merges the two: its repository keeps every
 * conversation and message, and they go into the joined library as new changes, after that library's history.
 *
 * The eventlogs cannot be merged as they are: each machine of a library holds the same eventlog (the same
 * sequence numbers and hash chain), and this one's events are numbered in another history. So this machine gives
 * its eventlog up (`chronicle sync join` exports it, signed, first) and its repository speaks again: one change per
 * conversation and per message is written after the feed's head, newest conversations first, so the other
 * machines see the recent ones first. The bridge starts after them (announce-floor.ts) and turns them into
 * events with the actor `merge`; the relay pulls the joined library's history into the emptied eventlog, and the
 * bridge applies it to the repository.
 *
 * Where both libraries hold the same conversation (the same session imported on both), the merge's events come
 * later in the eventlog, so this machine's title wins, as any later edit does, and so do the stars, tags and archive
 * marks it set (a flag it did not set says nothing); its messages the other library lacks are appended. The
 * overridden values stay in the trail.
 *
 * Everything that would tie this repository to the old eventlog goes in the same transaction: the hub's events, its
 * backend id (so pages and the main store holding the old eventlog start again instead of mixing two histories),
 * the relay's remembered remote, and the bridge's applied-event cursor. A crash before the transaction leaves the
 * library as it was; after it, a library that starts without the remote is still whole, its trail started anew.
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { sql, type Kysely } from 'kysely'
import { ANNOUNCE_FLOOR } from '../bridge/announce-floor'
import { APPLIED_CURSOR } from '../bridge/apply-events'
import type { Database } from '../repository/database-schema'

/** The writer the merge's changes name: the bridge makes it the events' actor (events-from-changes.ts). */
export const MERGE_WRITER = 'merge'

/** The main store's files, which hold the old eventlog (chronicle-store.ts keeps them under this folder). */
const MAIN_STORE_FOLDER = 'livestore'

export interface MergePrepared {
  readonly conversations: number
  readonly messages: number
  /** The change-feed position the merge's own changes follow. */
  readonly floor: number
}

export async function prepareMerge(
  db: Kysely<Database>,
  dataDir: string,
  now: () => number = Date.now,
): Promise<MergePrepared> {
  // First, so that a crash before the transaction leaves a store that rebuilds from the eventlog as it still is.
  rmSync(join(dataDir, MAIN_STORE_FOLDER), { recursive: true, force: true })
  return db.transaction().execute(async (trx) => {
    const head = await trx
      .selectFrom('changes')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst()
    const floor = head?.seq ?? 0
    await sql`
      INSERT INTO changes (entity, entity_id, op, origin, at, data)
      SELECT entity, entity_id, 'insert', ${MERGE_WRITER}, ${now()}, data FROM (
        SELECT 'conversation' AS entity, c.id AS entity_id, NULL AS data,
          c.last_activity_at AS activity, c.id AS conversation, -1 AS ordinal
        FROM conversations c
        UNION ALL
        SELECT 'message', m.id, json_object('conversation_id', m.conversation_id),
          c.last_activity_at, c.id, m.ordinal
        FROM messages m JOIN conversations c ON c.id = m.conversation_id
      )
      ORDER BY activity DESC, conversation, ordinal`.execute(trx)
    const counts = await sql<{ entity: string; n: number }>`
      SELECT entity, count(*) AS n FROM changes WHERE seq > ${floor} GROUP BY entity`.execute(trx)
    const count = (entity: string) => Number(counts.rows.find((row) => row.entity === entity)?.n ?? 0)
    await trx.deleteFrom('hub_events').execute()
    await trx
      .deleteFrom('hub_meta')
      .where((eb) => eb.or([eb('key', '=', 'backend_id'), eb('key', 'like', 'relay_backend_id:%')]))
      .execute()
    for (const [name, position] of [
      [APPLIED_CURSOR, 0],
      [ANNOUNCE_FLOOR, floor],
    ] as const)
      await trx
        .insertInto('bridge_cursors')
        .values({ name, position })
        .onConflict((oc) => oc.column('name').doUpdateSet({ position }))
        .execute()
    return { conversations: count('conversation'), messages: count('message'), floor }
  })
}
