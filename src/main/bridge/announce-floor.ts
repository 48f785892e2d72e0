/**
 * Where the bridge starts reading the change feed when the store has no cursor of this device: 0 for a library
 * this repository began, or the feed position a merge into another library started from (merge-on-join.ts).
 *
 * A machine that joins a library with a library of its own gives up its eventlog (it is the other library's now)
 * and announces what its repository holds as new changes. The merge writes one change per row after the feed's
 * head, and this floor makes the bridge skip the feed before them: those older changes are events of the
 * eventlog given up, and their rows are all in the new changes. Once the bridge has committed an event, the
 * store's cursor (bridgeCursors) is past the floor and the floor no longer matters.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../repository/database-schema'
import { bridgeCursor } from './apply-events'

export const ANNOUNCE_FLOOR = 'announce-from'

export const announceFloor = (db: Kysely<Database>): Promise<number> => bridgeCursor(db, ANNOUNCE_FLOOR)
