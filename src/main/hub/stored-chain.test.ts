/**
 * The hash chain as stored in the repository: it verifies when untouched; a row edited in place and a row
 * deleted (bad input: someone with the database file in hand) are named by sequence number; and a store written
 * with the older hash form is re-hashed once when the hub opens.
 */
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { seedEventlog } from '../audit/test-support/seed-eventlog'
import { useScratch } from '../repository/test-support/scratch'
import { CHAIN_VERSION, chainHash, GENESIS_HASH, hashForm } from './event-hash'
import { openHubEventlog } from './hub-eventlog'
import { verifyStoredChain } from './stored-chain'

const scratch = useScratch()

describe('stored hash chain', () => {
  it('holds when untouched, and ends at the head hash', async () => {
    const repo = scratch.open()
    const head = await seedEventlog(repo, 3)
    const last = await repo.db
      .selectFrom('hub_events')
      .select('hash')
      .where('seq', '=', head)
      .executeTakeFirstOrThrow()
    expect(await verifyStoredChain(repo.db)).toEqual({ ok: true, entries: head, head, headHash: last.hash })
  })

  it('names an entry edited in place', async () => {
    const repo = scratch.open()
    await seedEventlog(repo)
    await sql`UPDATE hub_events SET args = json_set(args, '$.title', 'Something else') WHERE seq = 8`.execute(
      repo.db,
    )
    expect(await verifyStoredChain(repo.db)).toMatchObject({
      ok: false,
      seq: 8,
      entries: 7,
      problem: expect.stringContaining('was changed'),
    })
  })

  it('names deleted entries', async () => {
    const repo = scratch.open()
    await seedEventlog(repo)
    await repo.db.deleteFrom('hub_events').where('seq', 'in', [5, 6]).execute()
    expect(await verifyStoredChain(repo.db)).toMatchObject({
      ok: false,
      seq: 7,
      problem: 'entry 7 follows entry 4: entries 5–6 were deleted',
    })
  })

  it('re-hashes a store written with an older hash form once, when the hub opens', async () => {
    const repo = scratch.open()
    await seedEventlog(repo)
    await repo.db.updateTable('hub_events').set({ hash: 'an older form' }).execute()
    await repo.db.deleteFrom('hub_meta').where('key', '=', 'chain').execute()
    expect((await verifyStoredChain(repo.db)).ok).toBe(false)
    await openHubEventlog(repo.db)
    expect((await verifyStoredChain(repo.db)).ok).toBe(true)
    const version = await repo.db
      .selectFrom('hub_meta')
      .select('value')
      .where('key', '=', 'chain')
      .executeTakeFirst()
    expect(version?.value).toBe(CHAIN_VERSION)
  })

  it('hashes a content string and its { sha256 } stand-in alike', () => {
    const event = (title: unknown) => ({
      seqNum: 1,
      parentSeqNum: 0,
      name: 'v1.ConversationRenamed',
      args: { title },
      clientId: 'c',
      sessionId: 's',
    })
    const full = chainHash(GENESIS_HASH, event('Pool fix'))
    const digest = (hashForm({ title: 'Pool fix' }) as { title: { sha256: string } }).title
    expect(chainHash(GENESIS_HASH, event(digest))).toBe(full)
    expect(chainHash(GENESIS_HASH, event({ redacted: '[REDACTED]', ...digest }))).toBe(full)
    expect(chainHash(GENESIS_HASH, event('Pool fix!'))).not.toBe(full)
  })
})
