/**
 * The hub's eventlog on a real repository file: appends that continue the head, a stale parent answered with
 * "server ahead", malformed batches refused (bad input from a client), concurrent pushers serialised, reads from
 * a cursor, the hash chain, and a backend id that survives a reopen.
 */
import { hostIdentity } from './hub-credentials'
import { describe, expect, it } from 'vitest'
import { useScratch } from '../repository/test-support/scratch'
import { chainHash, GENESIS_HASH } from './event-hash'
import { openHubEventlog, type GlobalEvent } from './hub-eventlog'

const HOST = hostIdentity('main')

const scratch = useScratch()

const event = (seqNum: number, clientId = 'client-a', args: unknown = { n: seqNum }): GlobalEvent => ({
  name: 'v1.Test',
  args,
  seqNum,
  parentSeqNum: seqNum - 1,
  clientId,
  sessionId: 'session',
})

const batch = (from: number, count: number, clientId?: string) =>
  Array.from({ length: count }, (_, i) => event(from + i, clientId))

describe('hub eventlog', () => {
  it('appends batches that continue the head and reads them back from any cursor', async () => {
    const log = await openHubEventlog(scratch.open().db, () => 1_000)
    expect(await log.head()).toBe(0)
    expect(await log.append(batch(1, 3), HOST)).toEqual({ kind: 'appended', head: 3 })
    expect(await log.append(batch(4, 2), HOST)).toEqual({ kind: 'appended', head: 5 })
    const read = await log.read(2, 2)
    expect(read.map((e) => e.seqNum)).toEqual([3, 4])
    expect(read[0]).toMatchObject({ name: 'v1.Test', args: { n: 3 }, parentSeqNum: 2, acceptedAt: 1_000 })
    expect(await log.read(5, 10)).toEqual([])
  })

  it('answers a push from behind the head with server-ahead and the number it expects', async () => {
    const log = await openHubEventlog(scratch.open().db)
    await log.append(batch(1, 2, 'a'), HOST)
    expect(await log.append(batch(1, 1, 'b'), HOST)).toEqual({
      kind: 'server-ahead',
      minimumExpectedNum: 3,
      providedNum: 1,
    })
    expect(await log.head()).toBe(2)
  })

  it('refuses malformed batches: empty, too large, gaps, a parent that skips the head', async () => {
    const log = await openHubEventlog(scratch.open().db)
    expect(await log.append([], HOST)).toMatchObject({ kind: 'invalid' })
    expect(await log.append(batch(1, 101), HOST)).toMatchObject({
      kind: 'invalid',
      reason: expect.stringContaining('101'),
    })
    expect(await log.append([event(1), event(3)], HOST)).toMatchObject({ kind: 'invalid' })
    expect(await log.append([event(5)], HOST)).toMatchObject({
      kind: 'invalid',
      reason: expect.stringContaining('head 0'),
    })
    expect(await log.head()).toBe(0)
  })

  it('serialises concurrent pushers: exactly one of two pushes on the same head wins', async () => {
    const log = await openHubEventlog(scratch.open().db)
    const outcomes = await Promise.all([
      log.append(batch(1, 5, 'a'), HOST),
      log.append(batch(1, 5, 'b'), HOST),
    ])
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['appended', 'server-ahead'])
    const clients = new Set((await log.read(0, 100)).map((e) => e.clientId))
    expect(clients.size).toBe(1)
  })

  it('chains the hashes and keeps the backend id across a reopen', async () => {
    const dataDir = scratch.dir()
    const repo = scratch.open({ dataDir })
    const log = await openHubEventlog(repo.db)
    await log.append(batch(1, 3), HOST)
    const stored = await log.read(0, 10)
    let previous = GENESIS_HASH
    for (const entry of stored) {
      previous = chainHash(previous, entry)
      expect(entry.hash).toBe(previous)
    }
    // Key order in args does not change the hash: the encoding is canonical.
    expect(chainHash(GENESIS_HASH, event(1, 'a', { x: 1, y: 2 }))).toBe(
      chainHash(GENESIS_HASH, event(1, 'a', { y: 2, x: 1 })),
    )
    await repo.close()
    const again = await openHubEventlog(scratch.open({ dataDir }).db)
    expect(again.backendId).toBe(log.backendId)
    expect(await again.head()).toBe(3)
  })
})
