/**
 * The events from the sync Worker that this machine holds as refused (v1.RemoteEventRefused in their place,
 * relay-replica.ts): how many, and the latest, for the Devices view and `chronicle sync status`. A refusal is stored
 * alike on every machine of the library, so the count is the library's, and the same wherever it is asked.
 *
 * Read through the index on (name, seq) (migration 0008): as many rows as there are refusals, however long the
 * eventlog is, so the page can ask on every status poll.
 */
import { sql, type Kysely } from 'kysely'
import type { RefusedEventsStatus } from '../../shared/api/contract'
import { events } from '../../shared/livestore/schema'
import type { Database } from '../repository/database-schema'

const REFUSED = events.remoteEventRefused.name

export async function refusedEvents(db: Kysely<Database>): Promise<RefusedEventsStatus> {
  const { count } = await db
    .selectFrom('hub_events')
    .select(sql<number>`count(*)`.as('count'))
    .where('name', '=', REFUSED)
    .executeTakeFirstOrThrow()
  if (count === 0) return { count: 0, last: null }
  const last = await db
    .selectFrom('hub_events')
    .select(['seq', 'args'])
    .where('name', '=', REFUSED)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow()
  return { count, last: { seqNum: last.seq, ...argsOf(last.args) } }
}

/** The stored refusal's own words; the relay wrote them, but a damaged row still gets a line, not a throw. */
function argsOf(json: string): { refusedName: string; reason: string; at: number } {
  try {
    const args = JSON.parse(json) as { refusedName?: unknown; reason?: unknown; at?: unknown }
    return {
      refusedName: typeof args.refusedName === 'string' ? args.refusedName : 'an event',
      reason: typeof args.reason === 'string' ? args.reason : 'no reason kept',
      at: typeof args.at === 'number' ? args.at : 0,
    }
  } catch {
    return { refusedName: 'an event', reason: 'its record does not read', at: 0 }
  }
}
