/**
 * The bridge with every real part: a repository file, the real importer and sample files, the hub, the
 * main-process LiveStore store and a device store over WebSocket. SQL writes (the importer, another process)
 * reach the device; the device's edits reach SQL once and do not come back as events; a repeated import of
 * unchanged sources makes no events.
 */
import { describe, expect, it } from 'vitest'
import { messageTotal$ } from '../../shared/livestore/message-total'
import { events, tables } from '../../shared/livestore/schema'
import { importSources } from '../import/import-engine'
import { rooCodeAdapter } from '../import/sources/roo-cline'
import { samplesDir } from '../import/test-support/samples'
import { rowCount } from '../import/test-support/repository-helpers'
import { until } from '../hub/test-support/until'
import { runNodeScript } from '../repository/test-support/child-node'
import { useScratch } from '../repository/test-support/scratch'
import { useBridgedLibrary } from './test-support/bridged-library'

const scratch = useScratch()
const { openBridgedLibrary: setUp } = useBridgedLibrary(scratch)
const count = rowCount

describe('bridge between SQL and LiveStore', () => {
  it("counts no backlog for its own writes after the cursor (a device it saw), only for anyone else's", async () => {
    const { repo, bridge } = await setUp()
    await bridge.drain()
    await repo.write('bridge', (w) => w.upsertDevice({ id: 'device-9', firstSeenAt: 1, lastSeenAt: 2 }))
    expect(await bridge.backlog()).toBe(0)
    await bridge.drain()
    await repo.write('import', (w) =>
      w.upsertConversations([{ id: 'c1', source: 'roo', sourceId: 'c1', title: 'One', createdAt: 1 }]),
    )
    await repo.write('bridge', (w) => w.upsertDevice({ id: 'device-9', firstSeenAt: 1, lastSeenAt: 3 }))
    expect(await bridge.backlog()).toBe(1)
  })

  it('mirrors an import of the Roo Code samples to a device, and a re-import of them makes no events', async () => {
    const { repo, device, bridge, hub } = await setUp()
    await importSources(repo, [{ path: samplesDir('roo-code'), adapter: rooCodeAdapter }])
    const [conversations, messages] = [await count(repo, 'conversations'), await count(repo, 'messages')]
    expect(conversations).toBeGreaterThan(0)
    // Every change row of the import is still to be bridged, and none is once the bridge has drained.
    expect(await bridge.backlog()).toBe(await count(repo, 'changes'))
    await bridge.drain()
    expect(await bridge.backlog()).toBe(0)
    await until(
      () => [device.store.query(tables.conversations.count()), device.store.query(messageTotal$)],
      ([c, m]) => c === conversations && m === messages,
    )
    const head = await hub.eventlog.head()
    await importSources(repo, [{ path: samplesDir('roo-code'), adapter: rooCodeAdapter }])
    expect(await bridge.drain()).toMatchObject({ eventsCommitted: 0 })
    expect(await hub.eventlog.head()).toBe(head)
  })

  it('carries a write by another process to the device, and a device edit to SQL once, without echo', async () => {
    const { repo, device, bridge, hub } = await setUp()
    await importSources(repo, [{ path: samplesDir('roo-code'), adapter: rooCodeAdapter }])
    await bridge.drain()
    const [first] = await repo.db.selectFrom('conversations').select('id').orderBy('id').limit(1).execute()
    const id = first!.id

    // Another program with the file open (a plain better-sqlite3 connection in a child process).
    const outside = runNodeScript(
      `const db = require('better-sqlite3')(process.env.DB_FILE); db.pragma('busy_timeout = 5000');
       db.prepare("UPDATE conversations SET title = 'Renamed outside' WHERE id = ?").run(process.env.ID)`,
      { DB_FILE: repo.file, ID: id },
    )
    expect(outside.stderr).toBe('')
    await bridge.drain()
    await until(
      () => device.store.query(tables.conversations.where({ id }).first())?.title,
      (title) => title === 'Renamed outside',
    )

    const meta = { at: 2_000, deviceId: 'device-2', actor: 'user', origin: 'ui' as const }
    await device.commit([
      events.conversationRenamed({ ...meta, conversationId: id, title: 'Renamed on the laptop' }),
      events.conversationStarred({ ...meta, conversationId: id }),
    ])
    await device.waitForBackend()
    await bridge.drain()
    const row = await repo.db
      .selectFrom('conversations')
      .select(['title', 'starred'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ title: 'Renamed on the laptop', starred: 1 })
    const bridgeChanges = await repo.db
      .selectFrom('changes')
      .select('origin')
      .where('origin', '=', 'bridge')
      .where('entity', '=', 'conversation')
      .execute()
    expect(bridgeChanges).toHaveLength(2) // one update per event: the rename, the star
    // No echo: the bridge's own write is not turned into a new event.
    const head = await hub.eventlog.head()
    expect(await bridge.drain()).toEqual({ eventsCommitted: 0, eventsApplied: 0 })
    expect(await hub.eventlog.head()).toBe(head)
  })

  it('wakes on a write by another process instead of waiting for its next poll', async () => {
    const { repo, main, device, bridge } = await setUp()
    await importSources(repo, [{ path: samplesDir('roo-code'), adapter: rooCodeAdapter }])
    await bridge.drain()
    // A poll a minute apart: only the wake-up (the database's files changed) can bring the change within the
    // test's time.
    bridge.start(60_000)
    const [first] = await repo.db.selectFrom('conversations').select('id').orderBy('id').limit(1).execute()
    const outside = runNodeScript(
      `const db = require('better-sqlite3')(process.env.DB_FILE); db.pragma('busy_timeout = 5000');
       db.prepare("UPDATE conversations SET title = 'Woken' WHERE id = ?").run(process.env.ID)`,
      { DB_FILE: repo.file, ID: first!.id },
    )
    expect(outside.stderr).toBe('')
    const written = Date.now()
    const title = (store: typeof main) =>
      store.store.query(tables.conversations.where({ id: first!.id }).first())?.title
    await until(
      () => title(main),
      (t) => t === 'Woken',
      10_000,
    )
    // An event well within a second (the bench's "external SQL write → list" builds on it); the poll takes a minute.
    expect(Date.now() - written).toBeLessThan(1_000)
    await until(
      () => title(device),
      (t) => t === 'Woken',
      10_000,
    )
  })
})
