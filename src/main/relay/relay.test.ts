/**
 * Two machines (two data directories, each with its repository, main store, bridge and hub) whose hubs relay to one
 * sync Worker in real workerd: an import on A reaches B's SQL, a rename in B's store reaches A's SQL, both
 * eventlogs are the same (numbers, names, clients, hashes), and the Worker's files hold ciphertext only. A wrong
 * library key is refused at the door and stores nothing; a Worker stopped while A commits loses nothing. What the
 * relay refuses from the Worker is in relay-refusals.test.ts.
 */
import { createServer, type AddressInfo } from 'node:net'
import { rmSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { fromSearchText } from '../../shared/search/search-text'
import { auditPage } from '../audit/audit-page'
import { importSources } from '../import/import-engine'
import { rooCodeAdapter } from '../import/sources/roo-cline'
import { rowCount } from '../import/test-support/repository-helpers'
import { samplesDir } from '../import/test-support/samples'
import { until } from '../hub/test-support/until'
import { useScratch } from '../repository/test-support/scratch'
import { LibraryKey } from '../sync/library-key'
import { startSyncRuntime } from '../sync/sync-runtime'
import { rename, sameChains, useRelayMachines, type RelayMachine } from './test-support/relay-machines'
import { workerFiles } from './test-support/worker-files'

const STORE_ID = 'library-relay-test'
const PHRASE = 'Quokka relay phrase 7f31'
const scratch = useScratch()
const relay = useRelayMachines(scratch, STORE_ID)
const { key, persistTo, claim, machine } = relay
type Machine = RelayMachine

const titleOf = async (m: Machine, id: string) =>
  fromSearchText(
    (
      await m.repository.db
        .selectFrom('conversations')
        .select('title')
        .where('id', '=', id)
        .executeTakeFirst()
    )?.title ?? '',
  )

describe('the hub as a relay to the sync Worker', () => {
  it('carries an import from A to B and a rename from B to A, with one eventlog and ciphertext only upstream', async () => {
    const a = await machine()
    const b = await machine()
    await importSources(a.repository, [{ path: samplesDir('roo-code', 'tasks'), adapter: rooCodeAdapter }])
    const conversations = await rowCount(a.repository, 'conversations')
    const messages = await rowCount(a.repository, 'messages')
    expect(conversations).toBeGreaterThan(0)
    await until(
      async () => [await rowCount(b.repository, 'conversations'), await rowCount(b.repository, 'messages')],
      ([c, m]) => c === conversations && m === messages,
      30_000,
    )

    const [first] = await b.repository.db
      .selectFrom('conversations')
      .select('id')
      .orderBy('id')
      .limit(1)
      .execute()
    const id = first!.id
    const importedTitle = await titleOf(a, id)
    await rename(b, id, PHRASE)
    await until(
      () => titleOf(a, id),
      (title) => title === PHRASE,
      20_000,
    )
    await sameChains(a, b)
    expect(a.runtime.relay?.status()).toMatchObject({ connection: { state: 'connected', caughtUp: true } })

    // The Worker keeps what it was sent in its SQLite files: neither the rename nor the imported title is there.
    const files = workerFiles(persistTo)
    // What the Worker must see is there (client ids travel in clear), so the search looks at the right bytes.
    expect(files.some((bytes) => bytes.includes(`${a.runtime.device.id}-main`))).toBe(true)
    for (const phrase of [PHRASE, importedTitle].filter((p) => p.length >= 12))
      expect(files.filter((bytes) => bytes.includes(phrase)).length).toBe(0)
  }, 60_000)

  it('refuses a machine with a wrong library key, and stores nothing from it', async () => {
    const c = await machine(LibraryKey.generate())
    const status = await until(
      () => c.runtime.relay!.status(),
      (s) => s.connection.state === 'refused',
    )
    expect(status.connection).toMatchObject({ state: 'refused', status: 401 })
    expect((status.connection as { reason: string }).reason).toMatch(/token does not match/)
    // Its own device registration waits for a Worker that will not have it: not stored, not lost.
    expect(await c.runtime.hub.eventlog.head()).toBe(0)
    expect(status.waiting).toBeGreaterThan(0)
  })

  it('loses and doubles nothing when the Worker stops while A commits, and converges when it returns', async () => {
    const logged: string[] = []
    const a = await machine(undefined, undefined, { log: (line: string) => logged.push(line) })
    const b = await machine()
    await importSources(a.repository, [{ path: samplesDir('roo-code', 'tasks'), adapter: rooCodeAdapter }])
    const ids = (await a.repository.db.selectFrom('conversations').select('id').orderBy('id').execute()).map(
      (row) => row.id,
    )
    await until(
      () => rowCount(b.repository, 'conversations'),
      (n) => n === ids.length,
      30_000,
    )
    await sameChains(a, b)
    const before = await a.runtime.hub.eventlog.head()

    await relay.worker().stop()
    await until(
      () => a.runtime.relay!.status().connection.state,
      (state) => state === 'unreachable',
    )
    // The dropped connection is in A's log once, however many attempts follow it (bad input: a Worker gone).
    const dropped = () => logged.filter((line) => line.includes('the connection to the worker ended'))
    expect(dropped()).toHaveLength(1)
    const offline = ids.slice(0, 3).map((id, i) => ({ id, title: `Renamed offline ${i} on A` }))
    for (const { id, title } of offline) await rename(a, id, title)
    await until(
      () => a.runtime.relay!.status().waiting,
      (n) => n > 0,
    )
    expect(await a.runtime.hub.eventlog.head()).toBe(before)

    await relay.worker().start()
    for (const { id, title } of offline)
      await until(
        () => titleOf(b, id),
        (t) => t === title,
        30_000,
      )
    await sameChains(a, b)
    expect(dropped()).toHaveLength(1)
    expect(logged).toContain('sync relay: connected to the worker again')
    const renames = (await a.runtime.hub.eventlog.read(before, 1000)).filter(
      (event) => event.name === 'v1.ConversationRenamed',
    )
    expect(renames.map((event) => (event.args as { title: string }).title).sort()).toEqual(
      offline.map((o) => o.title).sort(),
    )
  }, 60_000)

  it('resolves renames made on both machines while apart by eventlog order, and marks the overridden one', async () => {
    const a = await machine()
    const b = await machine()
    await importSources(a.repository, [{ path: samplesDir('roo-code', 'tasks'), adapter: rooCodeAdapter }])
    const [id = ''] = (
      await a.repository.db.selectFrom('conversations').select('id').orderBy('id').execute()
    ).map((row) => row.id)
    // The import is all in the trail on both machines before they part: its events set titles too.
    await a.runtime.bridge.drain()
    await sameChains(a, b)
    expect(await titleOf(b, id)).not.toBe('')
    await relay.worker().stop()
    for (const m of [a, b])
      await until(
        () => m.runtime.relay!.status().connection.state,
        (state) => state === 'unreachable',
      )
    await rename(a, id, 'Renamed on A while apart')
    await rename(b, id, 'Renamed on B while apart')
    await relay.worker().start()
    await sameChains(a, b)

    const renames = (await a.runtime.hub.eventlog.read(0, 100_000)).filter(
      (event) =>
        event.name === 'v1.ConversationRenamed' &&
        /while apart$/.test((event.args as { title: string }).title),
    )
    expect(renames).toHaveLength(2)
    const [earlier, later] = renames as [(typeof renames)[0], (typeof renames)[0]]
    const winner = (later.args as { title: string }).title
    for (const m of [a, b]) {
      await until(
        () => titleOf(m, id),
        (title) => title === winner,
        30_000,
      )
      // Both machines' audit views say the same: the earlier rename was overridden by one made without seeing it.
      const page = await auditPage(m.repository, { conversationId: id }, undefined, 50)
      const shown = (seq: number) => page.records.find((record) => record.seq === seq)
      expect(shown(earlier.seqNum)?.overriddenBy).toMatchObject({ by: later.seqNum, concurrent: true })
      expect(shown(later.seqNum)?.overriddenBy).toBeUndefined()
    }
    // Each said what its author had seen: the library before they parted, so neither had seen the other. (Not
    // necessarily the same head: each main store follows its own hub, and one may not have pulled the last event.)
    const seen = (event: typeof earlier) => (event.args as { seen?: number }).seen
    expect(seen(earlier)).toBeGreaterThan(0)
    expect(seen(later)).toBeGreaterThan(0)
    expect(seen(later)).toBeLessThan(earlier.seqNum)

    // Together again, B renames once its store has the winner, with a clock ten minutes behind: the clocks alone
    // would call that concurrent (made "before" the winner was accepted); what B had seen says it came after.
    await until(
      () => b.runtime.store.seen(),
      (seen) => seen >= later.seqNum,
    )
    await rename(b, id, 'Renamed on B afterwards', Date.now() - 600_000)
    await sameChains(a, b)
    const [afterwards] = (await a.runtime.hub.eventlog.read(later.seqNum, 100)).filter(
      (event) => event.name === 'v1.ConversationRenamed',
    )
    expect(afterwards?.args).toMatchObject({ title: 'Renamed on B afterwards' })
    for (const m of [a, b]) {
      const page = await auditPage(m.repository, { conversationId: id }, undefined, 50)
      const shown = page.records.find((record) => record.seq === later.seqNum)
      expect(shown?.overriddenBy).toMatchObject({ by: afterwards?.seqNum, concurrent: false })
    }
  }, 60_000)

  it('sends up the history of a library that had one before it was set up to sync', async () => {
    const storeId = 'library-relay-seeded'
    await claim(storeId)
    const dataDir = scratch.dir()
    const repository = scratch.open({ dataDir })
    const options = { dataDir, repository, log: () => undefined, bridgeIntervalMs: 3_600_000 }
    const alone = await startSyncRuntime({ ...options, relay: null })
    await importSources(repository, [{ path: samplesDir('roo-code', 'tasks'), adapter: rooCodeAdapter }])
    await until(
      () => alone.repositoryBacklog(),
      (n) => n === 0,
    )
    const history = await alone.hub.eventlog.head()
    expect(history).toBeGreaterThan(0)
    await alone.close()

    const runtime = await startSyncRuntime({ ...options, relay: { url: relay.worker().url, storeId, key } })
    relay.keep(runtime)
    const a = { repository, runtime }
    // As after `chronicle sync setup` (send-history.ts): the pairing code exists once the history is up.
    await until(
      () => runtime.relay!.status().connection,
      (c) => c.state === 'connected' && c.caughtUp,
    )
    const b = await machine(key, storeId)
    const conversations = await rowCount(repository, 'conversations')
    await until(
      () => rowCount(b.repository, 'conversations'),
      (n) => n === conversations,
      30_000,
    )
    await sameChains(a, b)
    expect(runtime.relay?.status().remoteHead).toBeGreaterThanOrEqual(history)
  }, 40_000)

  it('closes at once while a Worker that does not answer holds its handshake', async () => {
    const silent = createServer(() => undefined)
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const { port } = silent.address() as AddressInfo
    try {
      const dataDir = scratch.dir()
      const runtime = await startSyncRuntime({
        dataDir,
        repository: scratch.open({ dataDir }),
        log: () => undefined,
        relay: { url: `http://127.0.0.1:${port}`, storeId: STORE_ID, key },
      })
      expect(runtime.relay?.status().connection.state).toBe('connecting')
      const started = Date.now()
      await runtime.close()
      expect(Date.now() - started).toBeLessThan(5_000)
      expect(runtime.relay?.status().connection.state).toBe('stopped')
    } finally {
      silent.close()
    }
  })

  // Last: it replaces the Worker's storage.
  it('refuses a Worker whose library was reset, and keeps the local eventlog as it was', async () => {
    const a = await machine()
    await until(
      () => a.runtime.relay!.status().connection,
      (c) => c.state === 'connected' && c.caughtUp,
    )
    // Caught up with the Worker is not yet confirmed: the machine's own first events (its registration) may still
    // be on their way up. The reset must come after the Worker has something this machine also holds.
    const head = await until(
      () => a.runtime.hub.eventlog.head(),
      (h) => h > 0,
    )
    await relay.worker().stop()
    rmSync(persistTo, { recursive: true, force: true })
    await relay.worker().start()
    // The relay may reach the new Worker before the claim below and be refused as unclaimed; asked again once the
    // library is claimed, it must find the Worker's history gone.
    await claim(STORE_ID)
    a.runtime.relay!.reconnect()
    const status = await until(
      () => a.runtime.relay!.status().connection,
      (c) => c.state === 'refused' && /reset or replaced/.test(c.reason),
      30_000,
    )
    expect(status.state).toBe('refused')
    expect(await a.runtime.hub.eventlog.head()).toBe(head)
  }, 40_000)
})
