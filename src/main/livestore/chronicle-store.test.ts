/**
 * Bad input left by crashes, on real stores and the real hub:
 * - a process killed while LiveStore created its state database the first time leaves the file without tables;
 * - a process killed in the middle of a pull leaves the backend head ahead of the eventlog (and the state database
 *   perhaps with the pulled events applied), after which LiveStore 0.4.0 refuses to start;
 * - a process killed between the state's commit and the eventlog's leaves a state with events no one will receive;
 * - a damaged file, eventlog or state, stops LiveStore from opening the store at all.
 * Opening the store again repairs each, and nothing is lost or applied twice.
 */
import { hostIdentity } from '../hub/hub-credentials'
import { makeWsSync } from '@livestore/sync-cf/client'
import BetterSqlite3 from 'better-sqlite3'
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { newChronicleConversation } from '../../shared/livestore/events'
import { events, tables } from '../../shared/livestore/schema'
import { startHubFixture } from '../hub/test-support/hub-fixture'
import { makeInProcessSync } from '../hub/in-process-sync'
import { until } from '../hub/test-support/until'
import { openChronicleStore } from './chronicle-store'
import { stateDbFile } from './repair-store-files'
import { useScratch } from '../repository/test-support/scratch'
import { deviceAndMainWithOneConversation, LAPTOP_META } from './test-support/device-and-main'

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
  it("sets the head back, undoes the state's pulled events, and pulls the missing events once", async () => {
    const dataDir = scratch.dir()
    const fixture = await startHubFixture(scratch.open({ dataDir }))
    try {
      const meta = LAPTOP_META
      const message = (id: string, ordinal: number) => ({
        id,
        ordinal,
        role: 'user' as const,
        kind: 'text' as const,
        createdAt: 1,
        preview: id,
      })
      const { laptop, main } = await deviceAndMainWithOneConversation(fixture, dataDir)
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
        backend: makeInProcessSync(fixture.hub, hostIdentity('main')),
        log: (line) => logged.push(line),
      })
      try {
        expect(logged.join('\n')).toContain(
          `set back to ${head - 2} and the state's 2 events beyond the eventlog are undone`,
        )
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

describe('opening a store whose last commit reached the state and not the eventlog', () => {
  // Complete: the state's record of the event lets it be undone. Incomplete (bad input: the state's changeset
  // rows are gone): the state is rebuilt from the eventlog instead. Either way it claims nothing that was not kept.
  for (const record of ['complete', 'incomplete'] as const)
    it(`undoes the event in the state, or rebuilds the state (the record to undo is ${record})`, async () => {
      const dataDir = scratch.dir()
      const fixture = await startHubFixture(scratch.open({ dataDir }))
      const open = (log?: (line: string) => void) =>
        openChronicleStore({
          dataDir,
          clientId: 'laptop-main',
          folder: 'laptop',
          backend: makeWsSync({ url: fixture.url }),
          syncPayload: {
            authToken: fixture.credentials.relayCredential,
            deviceId: 'laptop',
            deviceName: 'laptop',
            clientKind: 'simulator',
          },
          log,
        })
      try {
        const meta = { at: 1, deviceId: 'laptop', actor: 'bridge', origin: 'import' as const }
        // What the bridge commits: a conversation and the SQL change-feed position it covers.
        const imported = (id: string, title: string, sqlSeq: number) => [
          events.conversationImported({
            ...meta,
            sqlSeq,
            conversation: newChronicleConversation(id, title, 1),
          }),
        ]
        const storeDir = join(dataDir, 'laptop', 'chronicle')
        const first = await open()
        await first.commit(imported('c1', 'Kept', 10))
        await first.waitForBackend()
        await first.shutdown()
        const keptEventlog = join(scratch.dir(), 'eventlog.db')
        copyFileSync(join(storeDir, 'eventlog@6.db'), keptEventlog)

        // The next two commits never leave the machine (offline), and then their eventlog writes are undone, as a
        // kill between LiveStore's two commits leaves it: the state has the events and the cursor they carry.
        fixture.disconnect()
        const second = await open()
        await second.commit(imported('c2', 'Lost', 20))
        await second.commit(imported('c3', 'Lost too', 30))
        await second.shutdown()
        copyFileSync(keptEventlog, join(storeDir, 'eventlog@6.db'))
        if (record === 'incomplete') {
          const state = new BetterSqlite3(stateDbFile(storeDir))
          const kept = state
            .prepare('SELECT min(seqNumGlobal) FROM __livestore_session_changeset')
            .pluck()
            .get()
          state
            .prepare('DELETE FROM __livestore_session_changeset WHERE seqNumGlobal = ?')
            .run(Number(kept) + 1)
          state.close()
        }
        fixture.reconnect()

        const logged: string[] = []
        const again = await open((line) => logged.push(line))
        try {
          expect(logged.join('\n')).toContain("LiveStore's last commit was interrupted")
          expect(logged.join('\n')).toContain(
            record === 'complete'
              ? "the state's 2 events beyond the eventlog are undone"
              : 'the record to undo them is incomplete, so the state is rebuilt from the eventlog instead',
          )
          expect(again.store.query(tables.conversations.select('id'))).toEqual(['c1'])
          // The bridge resumes after what was kept, so it mirrors the lost change again.
          expect(again.store.query(tables.bridgeCursors.select('sqlSeq'))).toEqual([10])
          // And the store goes on: a new commit reaches the hub, after the one event it ever had from this client.
          await again.commit(imported('c2', 'Again', 20))
          await again.waitForBackend()
          const atHub = (await fixture.hub.eventlog.read(0, 100)).filter(
            (e) => e.name === 'v1.ConversationImported',
          )
          expect(
            atHub.map((e) => (e.args as { conversation: { title: string } }).conversation.title),
          ).toEqual(['Kept', 'Again'])
        } finally {
          await again.shutdown()
        }
      } finally {
        await fixture.close()
      }
    }, 60_000)
})

describe('opening a store whose files cannot be read', () => {
  for (const damaged of ['eventlog', 'state'] as const)
    it(`mends a damaged ${damaged} database from what is left (bad input: a file that is not SQLite)`, async () => {
      const dataDir = scratch.dir()
      const fixture = await startHubFixture(scratch.open({ dataDir }))
      try {
        const meta = { at: 1, deviceId: 'd', actor: 'user', origin: 'ui' as const }
        const first = await fixture.inProcessStore(dataDir, 'main')
        await first.commit([
          events.conversationCreated({ ...meta, conversation: newChronicleConversation('c1', 'Kept', 1) }),
        ])
        await first.waitForBackend()
        await first.shutdown()
        const storeDir = join(dataDir, 'main', 'chronicle')
        const file = readdirSync(storeDir).find((name) => name.startsWith(damaged) && name.endsWith('.db'))!
        writeFileSync(join(storeDir, file), 'this is not a SQLite database\n'.repeat(500))

        const logged: string[] = []
        const again = await openChronicleStore({
          dataDir,
          clientId: 'main',
          folder: 'main',
          backend: makeInProcessSync(fixture.hub, hostIdentity('main')),
          log: (line) => logged.push(line),
        })
        try {
          expect(logged.join('\n')).toContain(
            damaged === 'eventlog'
              ? "this copy's eventlog cannot be read (file is not a database): it is emptied"
              : 'the state database cannot be read (file is not a database): it is rebuilt from the eventlog',
          )
          // Rebuilt by the repair in one transaction (rebuild-state.ts), not left to LiveStore because that failed.
          expect(logged.join('\n')).not.toContain('here it failed')
          await until(
            () => again.store.query(tables.conversations.where({ id: 'c1' }).first())?.title,
            (title) => title === 'Kept',
          )
          // Pulled or rebuilt once: the hub still has the one event, and the store one conversation.
          expect(again.store.query(tables.conversations.count())).toBe(1)
          expect((await fixture.hub.eventlog.read(0, 100)).map((e) => e.name)).toEqual([
            'v1.ConversationCreated',
          ])
        } finally {
          await again.shutdown()
        }
      } finally {
        await fixture.close()
      }
    }, 60_000)
})
