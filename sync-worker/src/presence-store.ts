/**
 * The machines of one library, in its sync Durable Object's own SQLite storage beside sync-cf's eventlog (sync-cf
 * adds tables of its own under versioned names; this one is ours and never collides with them).
 *
 * Bounded: at most MAX_MACHINES_PER_LIBRARY rows. A new machine beyond the cap takes the place of the machine not
 * connected now that was seen longest ago (a laptop retired last year gives way); when every listed machine is
 * connected, the newcomer is refused rather than a live machine forgotten.
 */
import { MAX_MACHINES_PER_LIBRARY } from './limits'
import type { MachinePresence } from './presence-headers'

export interface MachineRow {
  readonly machineId: string
  readonly version: string
  readonly sealedName: string | null
  /** When its latest connection began (ISO 8601). */
  readonly since: string
  readonly lastSeen: string
  /** The last sequence number it is known to have; null until its first pull. */
  readonly head: number | null
}

type Row = {
  machine_id: string
  version: string
  sealed_name: string | null
  since: string
  last_seen: string
  head: number | null
}

export class PresenceStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(
      `CREATE TABLE IF NOT EXISTS chronicle_presence (
         machine_id TEXT PRIMARY KEY,
         version TEXT NOT NULL,
         sealed_name TEXT,
         since TEXT NOT NULL,
         last_seen TEXT NOT NULL,
         head INTEGER
       )`,
    )
  }

  /**
   * Records a machine opening its sync socket. `connected` are the machines with a socket open already: their
   * `since` stands, and they are never evicted. False: the library is full of connected machines.
   */
  connect(presence: MachinePresence, now: string, connected: ReadonlySet<string>): boolean {
    const known = this.sql
      .exec<{ n: number }>(
        'SELECT COUNT(*) AS n FROM chronicle_presence WHERE machine_id = ?',
        presence.machineId,
      )
      .one().n
    if (known === 0 && !this.makeRoom(connected)) return false
    this.sql.exec(
      `INSERT INTO chronicle_presence (machine_id, version, sealed_name, since, last_seen, head)
       VALUES (?1, ?2, ?3, ?4, ?4, NULL)
       ON CONFLICT (machine_id) DO UPDATE SET
         version = ?2, sealed_name = ?3, last_seen = ?4,
         since = CASE WHEN ?5 THEN since ELSE ?4 END`,
      presence.machineId,
      presence.version,
      presence.sealedName,
      now,
      connected.has(presence.machineId) ? 1 : 0,
    )
    return true
  }

  seen(machineId: string, now: string): void {
    this.sql.exec('UPDATE chronicle_presence SET last_seen = ? WHERE machine_id = ?', now, machineId)
  }

  /** A pull names the machine's head exactly (it may go down, after the library was replaced). */
  setHead(machineId: string, head: number, now: string): void {
    this.sql.exec(
      'UPDATE chronicle_presence SET head = ?, last_seen = ? WHERE machine_id = ?',
      head,
      now,
      machineId,
    )
  }

  /** An acknowledged page only moves the head forward. */
  advanceHead(machineId: string, head: number, now: string): void {
    this.sql.exec(
      'UPDATE chronicle_presence SET head = MAX(COALESCE(head, 0), ?), last_seen = ? WHERE machine_id = ?',
      head,
      now,
      machineId,
    )
  }

  list(): MachineRow[] {
    return this.sql
      .exec<Row>('SELECT * FROM chronicle_presence ORDER BY since, machine_id')
      .toArray()
      .map((row) => ({
        machineId: row.machine_id,
        version: row.version,
        sealedName: row.sealed_name,
        since: row.since,
        lastSeen: row.last_seen,
        head: row.head,
      }))
  }

  private makeRoom(connected: ReadonlySet<string>): boolean {
    const count = this.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM chronicle_presence').one().n
    if (count < MAX_MACHINES_PER_LIBRARY) return true
    const oldest = this.sql
      .exec<{ machine_id: string }>(
        'SELECT machine_id FROM chronicle_presence ORDER BY last_seen, machine_id',
      )
      .toArray()
      .find((row) => !connected.has(row.machine_id))
    if (oldest === undefined) return false
    this.sql.exec('DELETE FROM chronicle_presence WHERE machine_id = ?', oldest.machine_id)
    return true
  }
}
