/**
 * Bad input left by crashes, on real stores and the real hub:
 * - a process killed while LiveStore created its state database the first time leaves the file without tables;
 * - a process killed in the middle of a pull leaves the backend head ahead of the eventlog (and the state database
 *   perhaps with the pulled events applied), after which LiveStore 0.4.0 refuses to start.
 * Opening the store again repairs both, and nothing is lost or applied twice.
 */
import BetterSqlite3 from 'better-sqlite3'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { newChronicleConversation } from '../../shared/livestore/events'
import { events, tables } from '../../shared/livestore/schema'
import { startHubFixture } from '../hub/test-support/hub-fixture'
import { makeInProcessSync } from '../hub/in-process-sync'
import { until } from '../hub/test-support/until'
import { openChronicleStore } from './chronicle-store'
import { useScratch } from '../repository/test-support/scratch'

const scratch = useScratch()

describe('opening a store whose state database lost its tables', () => {
  it('rebuilds the state from the eventlog', async () => {
    const dataDir = scratch.dir()
    const fixture = await startHubFixture(scratch.open({ dataDir }))
    try {
      const first = await fixture.inProcessStore(dataDir, 'main')
      const meta = { at: 1, deviceId: 'd', actor: 'user', origin: 'ui' as const }
      await first.commit([
        events.conversationCreated({ ...meta, conversation: newChronicleConversation('c1', 'Kept', 1) }),
      ])
      await first.waitForBackend()
      await first.shutdown()

      const storeDir = join(dataDir, 'main', 'chronicle')
      const stateFile = readdirSync(storeDir).find((name) => /^state.*\.db$/.test(name))!
      const state = new BetterSqlite3(join(storeDir, stateFile))
      state.exec('DROP TABLE conversations; DROP TABLE bridgeCursors')
      state.close()

      const again = await fixture.inProcessStore(dataDir, 'main')
      expect(again.store.query(tables.conversations.where({ id: 'c1' }).first())?.title).toBe('Kept')
    } finally {
      await fixture.close()
    }
  }, 60_000)
})

describe('opening a store whose last pull was interrupted', () => {
  it('sets the head back, rebuilds the state, and pulls the missing events once', async () => {
    const dataDir = scratch.dir()
    const fixture = await startHubFixture(scratch.open({ dataDir }))
    try {
      const meta = { at: 1, deviceId: 'laptop', actor: 'user', origin: 'ui' as const }
      const message = (id: string, ordinal: number) => ({
        id,
        ordinal,
        role: 'user' as const,
        kind: 'text' as const,
        createdAt: 1,
        preview: id,
      })
      const laptop = await fixture.wsStore(dataDir, 'laptop')
      const main = await fixture.inProcessStore(dataDir, 'main')
      await laptop.commit([
        events.conversationCreated({ ...meta, conversation: newChronicleConversation('c1', 'First', 1) }),
      ])
      await laptop.waitForBackend()
      await until(
        () => main.store.query(tables.conversations.where({ id: 'c1' }).first())?.title,
        (title) => title === 'First',
      )
      // The pull that will be interrupted: a rename and two messages.
      await laptop.commit([
        events.conversationRenamed({ ...meta, conversationId: 'c1', title: 'Second' }),
        events.messagesAppended({
          ...meta,
          conversationId: 'c1',
          messages: [message('m1', 0), message('m2', 1)],
        }),
      ])
      await laptop.waitForBackend()
      await until(
        () => main.store.query(tables.conversations.where({ id: 'c1' }).first())?.messageCount,
        (count) => count === 2,
      )
      await main.shutdown()

      // As a kill between the state's commit and the eventlog's leaves it: the head and the state have the
      // pulled events, the eventlog does not.
      const storeDir = join(dataDir, 'main', 'chronicle')
      const eventlog = new BetterSqlite3(join(storeDir, 'eventlog@6.db'))
      const head = eventlog.prepare('SELECT head FROM __livestore_sync_status').pluck().get() as number
      eventlog.prepare('DELETE FROM eventlog WHERE seqNumGlobal > ?').run(head - 2)
      eventlog.close()

      const logged: string[] = []
      const again = await openChronicleStore({
        dataDir,
        clientId: 'main',
        folder: 'main',
        backend: makeInProcessSync(fixture.hub),
        log: (line) => logged.push(line),
      })
      try {
        expect(logged.join('\n')).toContain(`set back to ${head - 2} and the state is rebuilt`)
        // Caught up: the missing events were pulled again (the store's head is the hub's).
        await until(
          () => again.store.syncStatus().upstreamHead,
          (upstream) => Number(/^e(\d+)/.exec(upstream)?.[1]) === head,
        )
        expect(again.store.query(tables.conversations.where({ id: 'c1' }).first())?.title).toBe('Second')
        // Pulled again, applied once: two messages, not four.
        expect(again.store.query(tables.conversations.where({ id: 'c1' }).first())?.messageCount).toBe(2)
      } finally {
        await again.shutdown()
        await laptop.shutdown()
      }
    } finally {
      await fixture.close()
    }
  }, 60_000)
})
