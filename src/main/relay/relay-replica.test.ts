/**
 * The replica keeps the Worker's acceptance time of every event, on a real repository file: events this machine
 * pushed were stored with its own clock, and take the Worker's time when their echo comes back on the live pull;
 * an echo without a time leaves the stored one, and an event new to this machine is stored with the Worker's.
 */
import { describe, expect, it } from 'vitest'
import { openHubEventlog, type GlobalEvent } from '../hub/hub-eventlog'
import { useScratch } from '../repository/test-support/scratch'
import { deriveSyncKeys, LibraryKey } from '../sync/library-key'
import { sealEvent } from './relay-codec'
import { makeReplica } from './relay-replica'

const scratch = useScratch()
const storeId = 'library-replica'
const eventKey = deriveSyncKeys(LibraryKey.generate(), storeId).eventArgs
const LOCAL_CLOCK = 1_000

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
    const replica = makeReplica({ local, db, storeId, eventKey })
    await replica.load()
    const pushed = [1, 2, 3].map(rename)
    expect(await replica.appendConfirmed(pushed, { kind: 'ui', deviceId: 'dev-a' })).toEqual({
      kind: 'appended',
      head: 3,
    })

    await replica.apply({
      events: [...pushed, rename(4)].map((event) => sealEvent(eventKey, storeId, event)),
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
})
