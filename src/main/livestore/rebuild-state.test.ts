/**
 * The repair's own rebuild of a state database (src/shared/livestore/rebuild-state.ts), on a real store's files and
 * with LiveStore's own SQLite: it builds what LiveStore would, says how far it is, and leaves nothing half-built.
 * Bad input: an eventlog row whose arguments are not JSON.
 */
import BetterSqlite3 from 'better-sqlite3'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { liveStoreStorageFormatVersion } from '@livestore/common'
import { Effect } from '@livestore/utils/effect'
import { PlatformNode } from '@livestore/utils/node'
import { describe, expect, it } from 'vitest'
import { newChronicleConversation } from '../../shared/livestore/events'
import { rebuildStateInOneTransaction } from '../../shared/livestore/rebuild-state'
import { events } from '../../shared/livestore/schema'
import { startHubFixture } from '../hub/test-support/hub-fixture'
import { useScratch } from '../repository/test-support/scratch'
import { openWithLiveStore, stateDbFile } from './repair-store-files'

const scratch = useScratch()

/** A store with three conversations, shut down; returns its eventlog and state files. */
async function storeFiles() {
  const dataDir = scratch.dir()
  const fixture = await startHubFixture(scratch.open({ dataDir }))
  try {
    const store = await fixture.inProcessStore(dataDir, 'main')
    const meta = { at: 1, deviceId: 'd', actor: 'user', origin: 'ui' as const }
    await store.commit(
      ['c1', 'c2', 'c3'].map((id) =>
        events.conversationCreated({ ...meta, conversation: newChronicleConversation(id, `Title ${id}`, 1) }),
      ),
    )
    await store.waitForBackend()
    await store.shutdown()
  } finally {
    await fixture.close()
  }
  const storeDir = join(dataDir, 'main', 'chronicle')
  return {
    eventlog: join(storeDir, `eventlog@${liveStoreStorageFormatVersion}.db`),
    state: stateDbFile(storeDir),
  }
}

/** Rebuilds `stateFile` from `eventlogFile`; resolves with the progress reported, or rejects as the rebuild did. */
const rebuild = (stateFile: string, eventlogFile: string) =>
  Effect.gen(function* () {
    const [eventlog, state] = [yield* openWithLiveStore(eventlogFile), yield* openWithLiveStore(stateFile)]
    const progress: [number, number][] = []
    yield* rebuildStateInOneTransaction(state, eventlog, (done, total) => progress.push([done, total])).pipe(
      Effect.ensuring(Effect.sync(() => (state.close(), eventlog.close()))),
    )
    return progress
  }).pipe(Effect.provide(PlatformNode.NodeFileSystem.layer), Effect.runPromise)

const tablesIn = (file: string) => {
  const db = new BetterSqlite3(file, { readonly: true })
  try {
    return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]
  } finally {
    db.close()
  }
}

describe('rebuilding a state database in one transaction', () => {
  it('builds the state LiveStore would, and reports its progress from none to every event', async () => {
    const files = await storeFiles()
    const before = new BetterSqlite3(files.state, { readonly: true })
    const titles = before.prepare('SELECT id, title FROM conversations ORDER BY id').all()
    before.close()
    rmSync(files.state)

    const progress = await rebuild(files.state, files.eventlog)

    const after = new BetterSqlite3(files.state, { readonly: true })
    try {
      expect(after.prepare('SELECT id, title FROM conversations ORDER BY id').all()).toEqual(titles)
      expect(titles).toHaveLength(3)
    } finally {
      after.close()
    }
    const total = progress.at(-1)?.[1]
    expect(total).toBeGreaterThanOrEqual(3)
    // From nothing done, said before the rebuild starts, to every event.
    expect(progress[0]).toEqual([0, total])
    expect(progress.at(-1)).toEqual([total, total])
  }, 60_000)

  it('leaves no half-built state when an event cannot be read (bad input: arguments that are not JSON)', async () => {
    const files = await storeFiles()
    rmSync(files.state)
    const eventlog = new BetterSqlite3(files.eventlog)
    eventlog.exec(
      "UPDATE eventlog SET argsJson = '{not json' WHERE seqNumGlobal = (SELECT max(seqNumGlobal) FROM eventlog)",
    )
    eventlog.close()

    await expect(rebuild(files.state, files.eventlog)).rejects.toThrow()

    // Rolled back: no table of LiveStore's is left, so LiveStore (or the next repair) builds the state afresh.
    expect(tablesIn(files.state)).toEqual([])
  }, 60_000)
})
