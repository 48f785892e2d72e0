/**
 * Walks the hash chain stored in hub_events, a page at a time: `verifyStoredChain` recomputes every hash and
 * names the first entry that does not match (`chronicle audit verify --db`); `ensureChainVersion` re-hashes a
 * store written with an older hash form, once, when the hub opens.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../repository/database-schema'
import { CHAIN_VERSION, chainHash, GENESIS_HASH } from './event-hash'

const PAGE = 2_000

export type ChainCheck =
  | { readonly ok: true; readonly entries: number; readonly head: number; readonly headHash: string }
  | {
      readonly ok: false
      readonly entries: number
      /** The first entry whose stored hash (or sequence) is not what the entries before it imply. */
      readonly seq: number
      readonly problem: string
    }

interface ChainRow {
  readonly seq: number
  readonly parent_seq: number
  readonly name: string
  readonly args: string
  readonly client_id: string
  readonly session_id: string
  readonly hash: string
}

async function* chainRows(db: Kysely<Database>): AsyncGenerator<ChainRow> {
  let cursor = 0
  for (;;) {
    const rows = await db
      .selectFrom('hub_events')
      .select(['seq', 'parent_seq', 'name', 'args', 'client_id', 'session_id', 'hash'])
      .where('seq', '>', cursor)
      .orderBy('seq')
      .limit(PAGE)
      .execute()
    yield* rows
    const last = rows.at(-1)
    if (!last || rows.length < PAGE) return
    cursor = last.seq
  }
}

const hashOf = (previous: string, row: ChainRow): string =>
  chainHash(previous, {
    seqNum: row.seq,
    parentSeqNum: row.parent_seq,
    name: row.name,
    args: JSON.parse(row.args) as unknown,
    clientId: row.client_id,
    sessionId: row.session_id,
  })

export async function verifyStoredChain(
  db: Kysely<Database>,
  onProgress?: (entries: number) => void,
): Promise<ChainCheck> {
  let previous = GENESIS_HASH
  let expectedSeq = 1
  let entries = 0
  for await (const row of chainRows(db)) {
    if (row.seq !== expectedSeq)
      return {
        ok: false,
        entries,
        seq: row.seq,
        problem: `entry ${row.seq} follows entry ${expectedSeq - 1}: entries ${expectedSeq}–${row.seq - 1} were deleted`,
      }
    const expected = hashOf(previous, row)
    if (row.hash !== expected)
      return {
        ok: false,
        entries,
        seq: row.seq,
        problem: `entry ${row.seq} (${row.name}) does not match its hash: it was changed after it was appended`,
      }
    previous = row.hash
    expectedSeq += 1
    entries += 1
    if (entries % PAGE === 0) onProgress?.(entries)
  }
  return { ok: true, entries, head: expectedSeq - 1, headHash: previous }
}

export async function ensureChainVersion(db: Kysely<Database>): Promise<void> {
  const stored = await db.selectFrom('hub_meta').select('value').where('key', '=', 'chain').executeTakeFirst()
  if (stored?.value === CHAIN_VERSION) return
  await db.transaction().execute(async (trx) => {
    let previous = GENESIS_HASH
    for await (const row of chainRows(trx)) {
      previous = hashOf(previous, row)
      await trx.updateTable('hub_events').set({ hash: previous }).where('seq', '=', row.seq).execute()
    }
    await trx
      .insertInto('hub_meta')
      .values({ key: 'chain', value: CHAIN_VERSION })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: CHAIN_VERSION }))
      .execute()
  })
}
