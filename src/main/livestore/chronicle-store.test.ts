/**
 * Bad input left by a crash: a process killed while LiveStore created its state database the first time leaves
 * the file without tables. Opening the store again rebuilds the state from the eventlog, and nothing is lost.
 */
import BetterSqlite3 from 'better-sqlite3'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { newChronicleConversation } from '../../shared/livestore/events'
import { events, tables } from '../../shared/livestore/schema'
import { startHubFixture } from '../hub/test-support/hub-fixture'
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
