/**
 * How much of the repository the audit trail holds, read from SQL alone (so any process can ask, including one
 * that does not run the bridge): the bridge's events carry the change-feed position they cover (`sqlSeq`), and the
 * hub's eventlog holds every confirmed one. After the last of them, changes the bridge makes no event of (its own
 * writes, a row made and removed in one tick) count as covered; the first change that would make an event is
 * where the trail ends.
 */
import { sql, type Kysely } from 'kysely'
import { announceFloor } from '../bridge/announce-floor'
import { NOT_BRIDGED } from '../bridge/change-batch'
import type { Database } from '../repository/database-schema'

export interface TrailCoverage {
  /** Every change at or before this position of the change feed is in the trail. */
  readonly covered: number
  /** The change feed's last position. */
  readonly head: number
  /** Changes after `covered` that may still become events (the bridge's own writes not counted). */
  readonly pending: number
}

/** The feed position the last confirmed bridge event of `deviceId` covers; 0 before the first. */
async function lastBridgedSeq(db: Kysely<Database>, deviceId: string): Promise<number> {
  // From the newest down: the bridge writes most events, so the first match is near the end. Only the main store
  // (the hub's 'host') carries a cursor; rows from before the hub recorded pushers (migration 0009) are read too.
  const row = await db
    .selectFrom('hub_events')
    .select(sql<number>`json_extract(args, '$.sqlSeq')`.as('sqlSeq'))
    .where((eb) =>
      eb.or([
        eb.and([eb('pushed_by_kind', '=', 'host'), eb('pushed_by_device', '=', deviceId)]),
        eb('pushed_by_kind', 'is', null),
      ]),
    )
    .where(sql<boolean>`json_extract(args, '$.sqlSeq') IS NOT NULL`)
    .where(sql<boolean>`json_extract(args, '$.deviceId') = ${deviceId}`)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row?.sqlSeq ?? 0
}

/** Changes after `after` that the bridge makes events of (change-batch.ts NOT_BRIDGED). */
async function othersAfter(db: Kysely<Database>, after: number): Promise<number> {
  const row = await db
    .selectFrom('changes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('seq', '>', after)
    .where('origin', 'not in', NOT_BRIDGED)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function trailCoverage(db: Kysely<Database>, deviceId: string): Promise<TrailCoverage> {
  const head =
    (
      await db
        .selectFrom('changes')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .executeTakeFirst()
    )?.seq ?? 0
  // After a merge into another library, the changes before its floor are in the merge's own changes.
  let covered = Math.max(await lastBridgedSeq(db, deviceId), await announceFloor(db))
  if ((await othersAfter(db, covered)) === 0) return { covered: head, head, pending: 0 }
  // Loaded only when changes wait: the bridge's tick pulls in LiveStore's schema, seconds to load for a command.
  const { nextTick } = await import('../bridge/bridge-tick')
  for (;;) {
    const tick = await nextTick(db, covered, deviceId, Date.now)
    if (!tick || tick.events.length > 0) break
    covered = tick.lastSeq
  }
  const pending = await othersAfter(db, covered)
  return { covered: pending === 0 ? head : covered, head, pending }
}
