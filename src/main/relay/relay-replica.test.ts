/**
 * The replica, on a real repository file:
 * - keeps the Worker's acceptance time of every event: events this machine pushed were stored with its own clock,
 *   and take the Worker's time when their echo comes back on the live pull; an echo without a time leaves the
 *   stored one, and an event new to this machine is stored with the Worker's;
 * - lets a device be spoken for by one machine only. Bad input: a page of events where another machine of the
 *   library signs an event naming a device the first one speaks for, pulled, and pushed from this machine;
 * - passes over a page that starts beyond its head (the Worker's live page of a push, overtaking the backlog of a
 *   pull just begun), and stores its events when the backlog brings them in order.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadOrCreateSigningKey } from '../audit/signing-key'
import { openHubEventlog, type GlobalEvent } from '../hub/hub-eventlog'
import { useScratch } from '../repository/test-support/scratch'
import { deriveSyncKeys, LibraryKey } from '../sync/library-key'
import { RelayRefusal, sealEvent } from './relay-codec'
import { makeReplica } from './relay-replica'

const scratch = useScratch()
const storeId = 'library-replica'
const eventKey = deriveSyncKeys(LibraryKey.generate(), storeId).eventArgs
const LOCAL_CLOCK = 1_000
const machineKey = () => loadOrCreateSigningKey(mkdtempSync(join(tmpdir(), 'replica-key-')))
const signingKey = machineKey()

const argsOf = (seqNum: number) => rename(seqNum).args as Record<string, unknown>
const rename = (seqNum: number): GlobalEvent => ({
  name: 'v1.ConversationRenamed',
  clientId: 'dev-a-page-1',
  sessionId: 's',
  seqNum,
  parentSeqNum: seqNum - 1,
  args: {
    at: seqNum,
    deviceId: 'dev-a',
    actor: 'user',
    origin: 'ui',
    conversationId: 'c1',
    title: `T${seqNum}`,
  },
})

describe('the relay replica', () => {
  it("gives events it already holds the Worker's acceptance time when their echo comes back", async () => {
    const { db } = scratch.open()
    const local = await openHubEventlog(db, () => LOCAL_CLOCK)
    const replica = makeReplica({ local, db, storeId, eventKey, signingKey })
    await replica.load()
    const pushed = [1, 2, 3].map(rename)
    expect(await replica.appendConfirmed(pushed, { kind: 'ui', deviceId: 'dev-a' })).toEqual({
      kind: 'appended',
      head: 3,
    })

    await replica.apply({
      events: [...pushed, rename(4)].map((event) => sealEvent(eventKey, signingKey, storeId, event)),
      acceptedAt: [5_000, null, 6_000, 7_000],
      backendId: 'backend-1',
      remaining: 0,
    })

    const stored = await local.read(0, 10)
    expect(stored.map(({ seqNum, acceptedAt }) => [seqNum, acceptedAt])).toEqual([
      [1, 5_000],
      [2, LOCAL_CLOCK],
      [3, 6_000],
      [4, 7_000],
    ])
  })

  it('stores an event naming a device another machine speaks for as refused, alike on every machine', async () => {
    const laptop = machineKey()
    const intruder = machineKey()
    const page = (events: GlobalEvent[], by: ReturnType<typeof machineKey>[]) => ({
      events: events.map((event, i) => sealEvent(eventKey, by[i] ?? signingKey, storeId, event)),
      acceptedAt: events.map((event) => event.seqNum * 100),
      backendId: 'backend-1',
      remaining: 0,
    })
    const forged = { ...rename(4), args: { ...argsOf(4), title: 'Renamed by an impostor' } }
    const replicaOn = async () => {
      const { db } = scratch.open()
      const local = await openHubEventlog(db)
      const replica = makeReplica({ local, db, storeId, eventKey, signingKey })
      await replica.load()
      return { db, local, replica }
    }
    const desktop = await replicaOn()
    // dev-a's first events are the laptop's: from then on, only the laptop speaks for dev-a.
    await desktop.replica.apply(page([rename(1), rename(2)], [laptop, laptop]))
    await desktop.replica.apply(page([rename(3), forged, rename(5)], [laptop, intruder, laptop]))
    const stored = await desktop.local.read(0, 10)
    expect(stored.map((event) => event.name)).toEqual([
      'v1.ConversationRenamed',
      'v1.ConversationRenamed',
      'v1.ConversationRenamed',
      'v1.RemoteEventRefused',
      'v1.ConversationRenamed',
    ])
    expect(stored[3]?.args).toMatchObject({
      at: 400,
      refusedName: 'v1.ConversationRenamed',
      reason: expect.stringMatching(
        /names device dev-a, which machine SHA256:\S+ speaks for, but machine SHA256:\S+ signed it/,
      ) as unknown,
    })
    expect(JSON.stringify(stored)).not.toContain('Renamed by an impostor')

    // Another machine pulling the same pages in other cuts stores the same chain.
    const phone = await replicaOn()
    await phone.replica.apply(page([rename(1), rename(2), rename(3)], [laptop, laptop, laptop]))
    await phone.replica.apply(page([forged, rename(5)], [intruder, laptop]))
    const hashes = async (local: typeof desktop.local) => (await local.read(0, 10)).map((event) => event.hash)
    expect(await hashes(phone.local)).toEqual(await hashes(desktop.local))

    // Kept across a restart: this machine may not send up what dev-a would say either.
    const again = makeReplica({ local: desktop.local, db: desktop.db, storeId, eventKey, signingKey })
    await again.load()
    expect(again.impostor([rename(6)])).toMatch(/names device dev-a/)
    await expect(again.appendConfirmed([rename(6)], { kind: 'ui', deviceId: 'dev-a' })).rejects.toThrow(
      RelayRefusal,
    )
    // A device no machine spoke for yet is this machine's once it says something.
    const own = { ...rename(6), args: { ...argsOf(6), deviceId: 'dev-b' } }
    expect(again.impostor([own])).toBeNull()
  })

  it('stores an event that does not open or whose signature fails as refused, and goes on', async () => {
    const { db } = scratch.open()
    const local = await openHubEventlog(db)
    const replica = makeReplica({ local, db, storeId, eventKey, signingKey })
    await replica.load()
    const otherLibrary = deriveSyncKeys(LibraryKey.generate(), storeId).eventArgs
    const sealed = [1, 2, 3].map((seq) => sealEvent(eventKey, signingKey, storeId, rename(seq)))
    // Bad input: a ciphertext under another key, and one moved to another place.
    sealed[0] = sealEvent(otherLibrary, signingKey, storeId, rename(1))
    sealed[1] = { ...sealEvent(eventKey, signingKey, storeId, rename(3)), seqNum: 2, parentSeqNum: 1 }
    await replica.apply({ events: sealed, acceptedAt: [null, null, null], backendId: 'b', remaining: 0 })
    const stored = await local.read(0, 10)
    expect(stored.map((event) => event.name)).toEqual([
      'v1.RemoteEventRefused',
      'v1.RemoteEventRefused',
      'v1.ConversationRenamed',
    ])
    expect(stored.map((event) => (event.args as { reason?: string }).reason ?? '')).toEqual([
      expect.stringMatching(/^event 1 .* from the remote: /) as unknown,
      expect.stringMatching(/^event 2 .* from the remote: /) as unknown,
      '',
    ])
  })

  it('passes over a page that runs ahead of its head, and stores those events when the backlog brings them', async () => {
    const { db } = scratch.open()
    const local = await openHubEventlog(db)
    const replica = makeReplica({ local, db, storeId, eventKey, signingKey })
    await replica.load()
    const page = (seqNums: number[], remaining: number) => ({
      events: seqNums.map((seq) => sealEvent(eventKey, signingKey, storeId, rename(seq))),
      acceptedAt: seqNums.map(() => null),
      backendId: 'backend-1',
      remaining,
    })
    // Bad input, as sync-cf sends it to a pull that has just begun: the live page of a push (events 5 and 6)
    // before the backlog's first page.
    expect(await replica.apply(page([5, 6], 0))).toBe('ahead')
    expect(await local.head()).toBe(0)
    expect(replica.pulledThrough()).toBe(0)
    // The backlog, read to the Worker's end, brings them in order; the live page of a later push follows it.
    expect(await replica.apply(page([1, 2, 3], 3))).toBe('stored')
    expect(await replica.apply(page([4, 5, 6], 0))).toBe('stored')
    expect(await replica.apply(page([7], 0))).toBe('stored')
    expect((await local.read(0, 10)).map((event) => event.seqNum)).toEqual([1, 2, 3, 4, 5, 6, 7])
    expect(replica.pulledThrough()).toBe(7)
  })
})
