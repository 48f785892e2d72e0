/**
 * What a long-running store keeps in memory: LiveStore's reactive graph records its recent refreshes for the
 * devtools, each with the events that caused it, and its client session queues every sync state it reaches for
 * sync status subscribers. A store whose queries are subscribed and which commits many events (the bad input: an
 * import of messages) keeps none of them, and collects its garbage once such a burst has ended.
 */
import { StoreInternalsSymbol } from '@livestore/livestore'
import { describe, expect, it } from 'vitest'
import { newChronicleConversation } from '../../shared/livestore/events'
import { messageTotal$ } from '../../shared/livestore/message-total'
import { events } from '../../shared/livestore/schema'
import { hostIdentity } from '../hub/hub-credentials'
import { makeInProcessSync } from '../hub/in-process-sync'
import { HOST_DEVICE, startHubFixture } from '../hub/test-support/hub-fixture'
import { useScratch } from '../repository/test-support/scratch'
import { openChronicleStore } from './chronicle-store'

const scratch = useScratch()
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const meta = { at: 1, deviceId: 'd', actor: 'importer', origin: 'import' as const }

describe('a store that commits many events', () => {
  it('keeps none of them in the reactive graph’s refresh history', async () => {
    const dataDir = scratch.dir()
    const fixture = await startHubFixture(scratch.open({ dataDir }))
    try {
      const store = await fixture.inProcessStore(dataDir, 'main')
      const totals: number[] = []
      const unsubscribe = store.store.subscribe(messageTotal$, (total) => totals.push(total))
      await store.commit([
        events.conversationCreated({ ...meta, conversation: newChronicleConversation('c1', 'Big', 1) }),
      ])
      for (let batch = 0; batch < 20; batch += 1) {
        const messages = Array.from({ length: 50 }, (_, i) => ({
          id: `c1#${batch * 50 + i}`,
          ordinal: batch * 50 + i,
          role: 'user' as const,
          kind: 'text' as const,
          createdAt: 1,
          preview: `message ${batch * 50 + i}`,
        }))
        await store.commit([events.messagesAppended({ ...meta, conversationId: 'c1', messages })])
      }
      expect(totals.at(-1)).toBe(1_000)
      expect(store.store[StoreInternalsSymbol].reactivityGraph.debugRefreshInfos.length).toBe(0)
      unsubscribe()
    } finally {
      await fixture.close()
    }
  }, 60_000)

  it('leaves no sync states queued: a subscriber that comes later hears only the current status', async () => {
    const dataDir = scratch.dir()
    const fixture = await startHubFixture(scratch.open({ dataDir }))
    try {
      const store = await fixture.inProcessStore(dataDir, 'main')
      await store.commit([
        events.conversationCreated({ ...meta, conversation: newChronicleConversation('c1', 'Big', 1) }),
      ])
      for (let batch = 0; batch < 20; batch += 1)
        await store.commit([
          events.messagesAppended({
            ...meta,
            conversationId: 'c1',
            messages: [
              { id: `c1#${batch}`, ordinal: batch, role: 'user', kind: 'text', createdAt: 1, preview: 'm' },
            ],
          }),
        ])
      await store.waitForBackend()
      await sleep(50)
      // Each queued state would reach this subscriber at once; 21 commits made 40 or more of them.
      const heard: number[] = []
      const unsubscribe = store.store.subscribeSyncStatus((status) => heard.push(status.pendingCount))
      await sleep(200)
      unsubscribe()
      expect(heard.length).toBeGreaterThan(0)
      expect(heard.length).toBeLessThanOrEqual(2)
    } finally {
      await fixture.close()
    }
  }, 60_000)
})

describe('a store after a burst of commits', () => {
  it('collects its garbage once, when the commits have stopped', async () => {
    const dataDir = scratch.dir()
    const fixture = await startHubFixture(scratch.open({ dataDir }))
    let collections = 0
    const store = await openChronicleStore({
      dataDir,
      clientId: 'main',
      folder: 'main',
      backend: makeInProcessSync(fixture.hub, hostIdentity(HOST_DEVICE)),
      collectAfterBursts: {
        events: 20,
        quietMs: 100,
        collect: () => {
          collections += 1
        },
      },
    })
    try {
      await store.commit([
        events.conversationCreated({ ...meta, conversation: newChronicleConversation('c1', 'Big', 1) }),
      ])
      const appended = (from: number, count: number) =>
        Array.from({ length: count }, (_, i) =>
          events.messagesAppended({
            ...meta,
            conversationId: 'c1',
            messages: [
              {
                id: `c1#${from + i}`,
                ordinal: from + i,
                role: 'user',
                kind: 'text',
                createdAt: 1,
                preview: 'm',
              },
            ],
          }),
        )
      await store.commit(appended(0, 10))
      await sleep(300)
      expect(collections).toBe(0)
      await store.commit(appended(10, 15))
      expect(collections).toBe(0)
      await sleep(300)
      expect(collections).toBe(1)
    } finally {
      await store.shutdown()
      await fixture.close()
    }
  }, 60_000)
})
