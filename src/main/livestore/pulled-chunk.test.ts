/**
 * A pulled chunk is kept whole or not at all (patches/@livestore+common+0.4.0.patch): the backend head that the
 * leader records for it is written in the transaction that adds its events to the eventlog. LiveStore 0.4.0 wrote
 * the head first, in a commit of its own, so a pull that failed after it (a process killed, an event the state
 * refuses) left the head ahead of the eventlog, and the leader then refused to start (livestorejs/livestore#409).
 *
 * Bad input: a state database that refuses one pulled event (a trigger planted in it), on a real store pulling from
 * the real hub.
 */
import BetterSqlite3 from 'better-sqlite3'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { newChronicleConversation } from '../../shared/livestore/events'
import { events, tables } from '../../shared/livestore/schema'
import { HEAD_QUERIES } from '../../shared/livestore/torn-write'
import { startHubFixture } from '../hub/test-support/hub-fixture'
import { until } from '../hub/test-support/until'
import { deviceAndMainWithOneConversation, LAPTOP_META } from './test-support/device-and-main'
import { useScratch } from '../repository/test-support/scratch'

const scratch = useScratch()

const firstCell = (db: BetterSqlite3.Database, query: string) =>
  db.prepare(query).pluck().get() as number | null

describe('a pulled chunk whose events the state refuses', () => {
  it('leaves the backend head where the eventlog is, and is pulled again once the state takes it', async () => {
    const dataDir = scratch.dir()
    const fixture = await startHubFixture(scratch.open({ dataDir }))
    try {
      const devices = await deviceAndMainWithOneConversation(fixture, dataDir)
      const laptop = devices.laptop
      let main = devices.main
      await main.shutdown()

      const storeDir = join(dataDir, 'main', 'chronicle')
      const stateFile = join(
        storeDir,
        readdirSync(storeDir).find((name) => /^state.*\.db$/.test(name))!,
      )
      const plant = new BetterSqlite3(stateFile)
      plant.exec(`CREATE TRIGGER refuse_poison BEFORE INSERT ON conversations WHEN NEW.id = 'poison'
        BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`)
      plant.close()
      await laptop.commit([
        events.conversationCreated({
          ...LAPTOP_META,
          conversation: newChronicleConversation('poison', 'Refused', 2),
        }),
      ])
      await laptop.waitForBackend()

      // The store pulls the chunk with the refused event while it boots; its leader fails on it. What is checked is
      // that something does not happen (the head moving on), so the test gives the leader time to do it: it takes
      // milliseconds, and LiveStore 0.4.0 wrote that head before the first event was tried.
      main = await fixture.inProcessStore(dataDir, 'main')
      await new Promise((resolve) => setTimeout(resolve, 3_000))
      expect(main.store.query(tables.conversations.where({ id: 'poison' }).first())).toBeUndefined()
      await main.shutdown().catch(() => undefined)

      const eventlog = new BetterSqlite3(
        join(
          storeDir,
          readdirSync(storeDir).find((name) => /^eventlog.*\.db$/.test(name))!,
        ),
      )
      const heads = {
        backend: firstCell(eventlog, HEAD_QUERIES.backend),
        eventlog: firstCell(eventlog, HEAD_QUERIES.eventlog),
      }
      eventlog.close()
      expect(heads.backend).toBe(heads.eventlog)

      // Once the state takes the event, the same chunk is pulled again and applied once.
      const mend = new BetterSqlite3(stateFile)
      mend.exec('DROP TRIGGER refuse_poison')
      mend.close()
      const again = await fixture.inProcessStore(dataDir, 'main')
      await until(
        () => again.store.query(tables.conversations.where({ id: 'poison' }).first())?.title,
        (title) => title === 'Refused',
      )
      expect(again.store.query(tables.conversations.count())).toBe(2)
      await again.shutdown()
      await laptop.shutdown()
    } finally {
      await fixture.close()
    }
  }, 60_000)
})
