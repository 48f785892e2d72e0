/**
 * The replica, on a real repository file:
 * - keeps the Worker's acceptance time of every event: events this machine pushed were stored with its own clock,
 *   and take the Worker's time when their echo comes back on the live pull; an echo without a time leaves the
 *   stored one, and an event new to this machine is stored with the Worker's;
 * - lets a device be spoken for by one machine only. Bad input: a page of events where another machine of the
 *   library signs an event naming a device the first one speaks for, pulled, and pushed from this machine.
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

  it('refuses an event naming a device that another machine speaks for, and stores nothing of it', async () => {
    const { db } = scratch.open()
    const local = await openHubEventlog(db)
    const page = (events: GlobalEvent[], by: ReturnType<typeof machineKey>[]) => ({
      events: events.map((event, i) => sealEvent(eventKey, by[i] ?? signingKey, storeId, event)),
      acceptedAt: events.map(() => null),
      backendId: 'backend-1',
      remaining: 0,
    })
    const laptop = machineKey()
    const intruder = machineKey()
    const replica = makeReplica({ local, db, storeId, eventKey, signingKey })
    await replica.load()
    // dev-a's first events are the laptop's: from then on, only the laptop speaks for dev-a.
    await replica.apply(page([rename(1), rename(2)], [laptop, laptop]))
    const forged = { ...rename(4), args: { ...argsOf(4), title: 'Renamed by an impostor' } }
    await expect(replica.apply(page([rename(3), forged], [laptop, intruder]))).rejects.toThrow(RelayRefusal)
    await expect(replica.apply(page([rename(3), forged], [laptop, intruder]))).rejects.toThrow(
      /names device dev-a, which machine SHA256:\S+ speaks for, but machine SHA256:\S+ signed it/,
    )
    expect(await local.head()).toBe(2)

    // Kept across a restart, and this machine may not send up what dev-a would say either.
    const again = makeReplica({ local, db, storeId, eventKey, signingKey })
    await again.load()
    expect(again.impostor([rename(3)])).toMatch(/names device dev-a/)
    await expect(again.appendConfirmed([rename(3)], { kind: 'ui', deviceId: 'dev-a' })).rejects.toThrow(
      RelayRefusal,
    )
    await again.apply(page([rename(3)], [laptop]))
    expect(await local.head()).toBe(3)
    // A device no machine spoke for yet is this machine's once it says something.
    const own = { ...rename(4), args: { ...argsOf(4), deviceId: 'dev-b' } }
    expect(again.impostor([own])).toBeNull()
  })
})
