/**
 * A schema change leaves the previous state database beside the new one; opening the store removes it, on a real
 * store with the real hub. Bad input: files that only look like state databases, and an open that fails.
 */
import BetterSqlite3 from 'better-sqlite3'
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { newChronicleConversation } from '../../shared/livestore/events'
import { events, tables } from '../../shared/livestore/schema'
import { hostIdentity } from '../hub/hub-credentials'
import { makeInProcessSync } from '../hub/in-process-sync'
import { startHubFixture, type HubFixture } from '../hub/test-support/hub-fixture'
import { useScratch } from '../repository/test-support/scratch'
import { openChronicleStore } from './chronicle-store'
import { stateDbFile } from './repair-store-files'

const scratch = useScratch()
const meta = { at: 1, deviceId: 'd', actor: 'user', origin: 'ui' as const }

/** A store with one conversation, shut down; its folder. */
async function storeWithOneConversation(fixture: HubFixture, dataDir: string): Promise<string> {
  const first = await fixture.inProcessStore(dataDir, 'main')
  await first.commit([
    events.conversationCreated({ ...meta, conversation: newChronicleConversation('c1', 'Kept', 1) }),
  ])
  await first.waitForBackend()
  await first.shutdown()
  return join(dataDir, 'main', 'chronicle')
}

/** What an earlier schema's state looks like on disk: a real state database under another hash, and companions. */
function plantOldState(storeDir: string, name: string): void {
  copyFileSync(stateDbFile(storeDir), join(storeDir, name))
  writeFileSync(join(storeDir, `${name}-wal`), Buffer.alloc(4096, 1))
  writeFileSync(join(storeDir, `${name}-shm`), Buffer.alloc(32768, 2))
}

const LOOK_ALIKES = [
  'state-backup.db',
  'state12@6.db.bak',
  'my-state12@6.db',
  'state12@6.dbx-wal',
  'stateabc@6.db',
  'eventlog@5.db',
  'eventlog@5.db-wal',
]

describe('opening a store after a schema change', () => {
  it("removes earlier schemas' state databases and their companions, and nothing else", async () => {
    const dataDir = scratch.dir()
    const fixture = await startHubFixture(scratch.open({ dataDir }))
    try {
      const storeDir = await storeWithOneConversation(fixture, dataDir)
      const current = basename(stateDbFile(storeDir))
      const eventlogBefore = readEventlog(storeDir)
      plantOldState(storeDir, 'state-2090621593@6.db')
      plantOldState(storeDir, 'state242080963@6.db')
      // A state database of an earlier storage format is derived data as well.
      plantOldState(storeDir, 'state77@5.db')
      for (const name of LOOK_ALIKES) writeFileSync(join(storeDir, name), 'not mine to remove\n')
      // A folder with a state database's name was not made by LiveStore.
      mkdirSync(join(storeDir, 'state99@6.db'))
      const oldSize = statSync(join(storeDir, 'state242080963@6.db')).size

      const logged: string[] = []
      const again = await openChronicleStore({
        dataDir,
        clientId: 'main',
        folder: 'main',
        backend: makeInProcessSync(fixture.hub, hostIdentity('main')),
        log: (line) => logged.push(line),
      })
      try {
        expect(readdirSync(storeDir).sort()).toEqual(
          [...LOOK_ALIKES, 'eventlog@6.db', current, 'state99@6.db'].sort(),
        )
        const log = logged.join('\n')
        expect(log).toContain('removed state databases of earlier schemas')
        expect(log).toContain(`state242080963@6.db (${(oldSize / 1024 / 1024).toFixed(1)} MB)`)
        expect(log).toContain('state-2090621593@6.db-shm (0.0 MB)')
        expect(log).toContain('state77@5.db-wal')
        expect(log).not.toContain(current)

        // The store works on its own files: what it had, and a new commit.
        expect(again.store.query(tables.conversations.where({ id: 'c1' }).first())?.title).toBe('Kept')
        await again.commit([
          events.conversationCreated({ ...meta, conversation: newChronicleConversation('c2', 'New', 2) }),
        ])
        await again.waitForBackend()
        expect(again.store.query(tables.conversations.count())).toBe(2)
      } finally {
        await again.shutdown()
      }
      // The eventlog kept every event it had, and the new one.
      const eventlogAfter = readEventlog(storeDir)
      expect(eventlogAfter.slice(0, eventlogBefore.length)).toEqual(eventlogBefore)
      expect(eventlogAfter).toHaveLength(eventlogBefore.length + 1)
    } finally {
      await fixture.close()
    }
  }, 60_000)

  it('keeps every state database when the store does not open (bad input: an unreadable current state)', async () => {
    const dataDir = scratch.dir()
    const fixture = await startHubFixture(scratch.open({ dataDir }))
    try {
      const storeDir = await storeWithOneConversation(fixture, dataDir)
      plantOldState(storeDir, 'state-2090621593@6.db')
      // The current state's name taken by a folder: neither the repair nor LiveStore can open it.
      const current = stateDbFile(storeDir)
      rmSync(current)
      mkdirSync(current)
      const before = readdirSync(storeDir).sort()

      await expect(fixture.inProcessStore(dataDir, 'main')).rejects.toThrow()
      expect(readdirSync(storeDir).sort()).toEqual(before)
      expect(existsSync(join(storeDir, 'state-2090621593@6.db'))).toBe(true)
    } finally {
      await fixture.close()
    }
  }, 60_000)
})

function readEventlog(storeDir: string): unknown[] {
  const db = new BetterSqlite3(join(storeDir, 'eventlog@6.db'), { readonly: true })
  try {
    return db.prepare('SELECT seqNumGlobal, name, argsJson FROM eventlog ORDER BY seqNumGlobal').all()
  } finally {
    db.close()
  }
}
