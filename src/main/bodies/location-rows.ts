/**
 * The one write both tables of locations share (migration 0017's body_locations and image_locations): a pack's
 * items, each under its key (a message id, or an image's SHA-256), upserted in one statement from JSON, so a pack of
 * a few hundred items binds three values and needs no slicing.
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely'
import type { Database } from '../repository/database-schema'

export interface LocationRow {
  /** The message id or the image's SHA-256: the table's key. */
  readonly key: string
  readonly bodyAddress: string
  readonly offset: number
  readonly length: number
}

export async function upsertLocations(
  trx: Transaction<Database> | Kysely<Database>,
  into:
    | { readonly table: 'body_locations'; readonly key: 'message_id' }
    | {
        readonly table: 'image_locations'
        readonly key: 'sha256'
      },
  packAddress: string,
  rows: readonly LocationRow[],
  /** Which rows to keep, on `j.value ->> 0` (the key). */
  keep: RawBuilder<unknown> = sql`true`,
): Promise<void> {
  if (rows.length === 0) return
  const values = JSON.stringify(rows.map((r) => [r.key, r.bodyAddress, r.offset, r.length]))
  await sql`
    INSERT INTO ${sql.table(into.table)} (${sql.ref(into.key)}, body_address, pack_address, offset, length)
    SELECT j.value ->> 0, j.value ->> 1, ${packAddress}, j.value ->> 2, j.value ->> 3
    FROM json_each(${values}) AS j
    WHERE ${keep}
    ON CONFLICT (${sql.ref(into.key)}) DO UPDATE SET
      body_address = excluded.body_address,
      pack_address = excluded.pack_address,
      offset = excluded.offset,
      length = excluded.length
  `.execute(trx)
}
