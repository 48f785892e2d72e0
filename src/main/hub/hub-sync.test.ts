/**
 * Real LiveStore clients (adapter-node, files on disk) syncing through the real hub: the main-process store over
 * the in-process backend, device stores over LiveStore's own WebSocket client. They converge both ways, the hub
 * knows who is connected and what each acknowledged, and a wrong token is refused at the handshake.
 */
import BetterSqlite3 from 'better-sqlite3'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { newChronicleConversation } from '../../shared/livestore/events'
import { events, tables } from '../../shared/livestore/schema'
import { useScratch } from '../repository/test-support/scratch'
import { startHubFixture, type HubFixture } from './test-support/hub-fixture'
import { until } from './test-support/until'

const scratch = useScratch()
let fixture: HubFixture | undefined
afterEach(async () => {
  await fixture?.close()
  fixture = undefined
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const meta = (deviceId: string) => ({ at: 1_000, deviceId, actor: 'user', origin: 'ui' as const })

const created = (id: string, deviceId: string) =>
  events.conversationCreated({
    ...meta(deviceId),
    conversation: newChronicleConversation(id, `Conversation ${id}`, 1_000),
  })

describe('hub sync with real LiveStore clients', () => {
  it('converges the in-process main store and a WebSocket device store, both ways', async () => {
    const dataDir = scratch.dir()
    fixture = await startHubFixture(scratch.open({ dataDir }))
    const main = await fixture.inProcessStore(dataDir, 'main')
    const device = await fixture.wsStore(dataDir, 'device-1', 'Laptop')

    await main.commit(Array.from({ length: 250 }, (_, i) => created(`c${i}`, 'main')))
    const count = () => device.store.query(tables.conversations.count())
    await until(count, (n) => n === 250)

    await device.commit([
      events.conversationRenamed({ ...meta('device-1'), conversationId: 'c7', title: 'Renamed' }),
    ])
    await until(
      () => main.store.query(tables.conversations.where({ id: 'c7' }).first()),
      (row) => row?.title === 'Renamed',
    )
    await device.waitForBackend()
    const head = await fixture.hub.eventlog.head()
    expect(head).toBe(251)
    const [connection] = await until(
      () => fixture!.clients.list(),
      (list) => list.length === 1 && list[0]!.acknowledgedHead === 251,
    )
    expect(connection).toMatchObject({ deviceId: 'device-1', deviceName: 'Laptop', clientId: 'device-1' })
    // Every event is in the hub once, in one order, with its hash.
    const stored = await fixture.hub.eventlog.read(0, 1_000)
    expect(stored.map((e) => e.seqNum)).toEqual(Array.from({ length: 251 }, (_, i) => i + 1))
  })

  it('refuses a client with a wrong token at the handshake (bad input: a stolen or stale URL)', async () => {
    const dataDir = scratch.dir()
    fixture = await startHubFixture(scratch.open({ dataDir }))
    const status = await new Promise<number | string>((resolve) => {
      const payload = encodeURIComponent(encodeURIComponent(JSON.stringify({ authToken: 'wrong' })))
      const socket = new WebSocket(`${fixture!.url}?storeId=chronicle&payload=${payload}&transport=ws`)
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0))
      socket.on('open', () => resolve('opened'))
      socket.on('error', () => undefined)
    })
    expect(status).toBe(401)
    expect(fixture.clients.list()).toEqual([])
  })

  it('an offline device keeps its edits and delivers them when the hub is reachable again', async () => {
    const dataDir = scratch.dir()
    fixture = await startHubFixture(scratch.open({ dataDir }))
    const main = await fixture.inProcessStore(dataDir, 'main')
    const device = await fixture.wsStore(dataDir, 'device-1')
    await main.commit([created('c1', 'main')])
    await until(
      () => device.store.query(tables.conversations.count()),
      (n) => n === 1,
    )

    fixture.disconnect()
    await until(
      () => fixture!.clients.list().length,
      (n) => n === 0,
    )
    await device.commit([
      events.conversationRenamed({ ...meta('device-1'), conversationId: 'c1', title: 'Offline edit' }),
    ])
    await main.commit([events.conversationStarred({ ...meta('main'), conversationId: 'c1' })])
    expect(await fixture.hub.eventlog.head()).toBe(2) // the device's edit waits on the device

    fixture.reconnect()
    const row = (store: typeof main) => store.store.query(tables.conversations.where({ id: 'c1' }).first())
    await until(
      () => row(main),
      (r) => r?.title === 'Offline edit',
      40_000,
    )
    await until(
      () => row(device),
      (r) => r?.starred === true,
      40_000,
    )
    expect(await fixture.hub.eventlog.head()).toBe(3)
  }, 60_000)

  it('concurrent writers take the server-ahead path, rebase, and converge without duplicates', async () => {
    const dataDir = scratch.dir()
    fixture = await startHubFixture(scratch.open({ dataDir }))
    const stores = [
      await fixture.inProcessStore(dataDir, 'main'),
      await fixture.wsStore(dataDir, 'device-1'),
      await fixture.wsStore(dataDir, 'device-2'),
    ]
    const write = async (store: (typeof stores)[number], name: string) => {
      for (let i = 0; i < 30; i += 1) await store.commit([created(`${name}-${i}`, name)])
    }
    // Each writes as its own device: the hub refuses a connection speaking for another.
    await Promise.all(stores.map((store, i) => write(store, ['main', 'device-1', 'device-2'][i] as string)))
    for (const store of stores) await store.waitForBackend(40_000)
    for (const store of stores)
      await until(
        () => store.store.query(tables.conversations.count()),
        (n) => n === 90,
      )
    expect(fixture.hub.stats.serverAhead).toBeGreaterThan(0)
    const stored = await fixture.hub.eventlog.read(0, 1_000)
    const ids = stored.map((e) => (e.args as { conversation: { id: string } }).conversation.id)
    expect(new Set(ids).size).toBe(90)
    expect(stored).toHaveLength(90)
  }, 90_000)

  it("the main store pushes again once the hub's database is free (bad input: another process holds its lock)", async () => {
    const dataDir = scratch.dir()
    const repository = scratch.open({ dataDir, busyTimeoutMs: 100 })
    fixture = await startHubFixture(repository)
    const main = await fixture.inProcessStore(dataDir, 'main')
    await main.commit([created('before', 'main')])
    await until(
      () => fixture!.hub.eventlog.head(),
      (head) => head === 1,
    )

    const holder = new BetterSqlite3(repository.file)
    holder.exec('BEGIN IMMEDIATE')
    try {
      await main.commit([created('while-locked', 'main')])
      // The push met the lock and failed: past the busy timeout and a little more, the hub still has one event.
      await sleep(1_000)
      expect(await fixture.hub.eventlog.head()).toBe(1)
    } finally {
      holder.exec('ROLLBACK')
      holder.close()
    }
    // LiveStore retries a push that failed (after 1 s, then 2 s…); a push that died would stop its pushing for good.
    await until(
      () => fixture!.hub.eventlog.head(),
      (head) => head === 2,
      15_000,
    )
    await main.commit([created('after', 'main')])
    await until(
      () => fixture!.hub.eventlog.head(),
      (head) => head === 3,
      15_000,
    )
  }, 60_000)

  it('a client meeting a replaced hub stops and keeps its data instead of resetting it (bad input: a new backend)', async () => {
    const deviceDir = scratch.dir()
    fixture = await startHubFixture(scratch.open({ dataDir: scratch.dir() }))
    const first = await fixture.wsStore(deviceDir, 'device-1')
    await first.commit([created('kept', 'device-1')])
    await first.waitForBackend()
    await first.shutdown()
    await fixture.close()

    // Another hub with an empty eventlog and a new backend id, where the device expects its old one.
    fixture = await startHubFixture(scratch.open({ dataDir: scratch.dir() }))
    const files = () => readdirSync(join(deviceDir, 'device-1'), { recursive: true }).sort()
    const before = files()
    const outcome = await fixture.wsStore(deviceDir, 'device-1').then(
      async (store) => {
        // Stopped after booting: the mismatch came with a later pull.
        const reason = await Promise.race([store.stopped, sleep(20_000).then(() => 'still running')])
        return `stopped: ${reason}`
      },
      (error: unknown) => `refused: ${String(error)}`,
    )
    expect(outcome).toMatch(/BackendIdMismatch|not the one this client synced with/)
    expect(files()).toEqual(before)
    expect(await fixture.hub.eventlog.head()).toBe(0)
  }, 60_000)
})
