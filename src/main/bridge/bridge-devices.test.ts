/**
 * The repository's `devices` table, filled by the bridge from the eventlog, with every real part: the app's sync
 * runtime (repository, hub, main store, bridge) and a device program's LiveStore client over the hub's WebSocket
 * endpoint. A device that registers, writes and renames itself is listed with its current name and when it was
 * first and last seen; one that writes without registering is listed under its id; this device is listed by its
 * own registration; hostile names are stored as one short printable line, and the bridge goes on.
 */
import { makeWsSync } from '@livestore/sync-cf/client'
import { afterEach, describe, expect, it } from 'vitest'
import type { EventMeta } from '../../shared/livestore/event-meta'
import { newChronicleConversation } from '../../shared/livestore/events'
import { events } from '../../shared/livestore/schema'
import { appVersion } from '../app-version'
import { until } from '../hub/test-support/until'
import { openChronicleStore, type ChronicleStore } from '../livestore/chronicle-store'
import type { Repository } from '../repository/repository'
import { useScratch } from '../repository/test-support/scratch'
import { startSyncEndpoint, type SyncEndpoint } from '../sync/sync-endpoint'
import { startSyncRuntime, type SyncRuntime } from '../sync/sync-runtime'

const scratch = useScratch()
let runtime: SyncRuntime | undefined
let endpoint: SyncEndpoint | undefined
const devices: ChronicleStore[] = []
afterEach(async () => {
  for (const device of devices.splice(0)) await device.shutdown().catch(() => undefined)
  await endpoint?.close()
  await runtime?.close()
  runtime = endpoint = undefined
})

async function app() {
  const dataDir = scratch.dir()
  const repository = scratch.open({ dataDir })
  runtime = await startSyncRuntime({ dataDir, repository, log: () => undefined, bridgeIntervalMs: 10 })
  endpoint = await startSyncEndpoint(runtime.wsServer)
  const sync = runtime
  const url = endpoint.url
  /** A device program (as `chronicle simulate` runs them) with its own store, speaking for `id`. */
  const device = async (id: string) => {
    const store = await openChronicleStore({
      dataDir,
      clientId: id,
      folder: id,
      backend: makeWsSync({ url }),
      syncPayload: {
        authToken: sync.credentials.deviceCredential,
        deviceId: id,
        deviceName: id,
        clientKind: 'simulator',
      },
    })
    devices.push(store)
    const meta = (at: number): EventMeta => ({ at, deviceId: id, actor: 'simulator', origin: 'sync' })
    return { store, meta }
  }
  return { repository, sync, device }
}

const deviceRow = (repository: Repository, id: string) =>
  repository.db.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirst()

/** The device's row once the bridge has written it as `done` expects (by default: at all). */
const deviceRowWhen = (
  repository: Repository,
  id: string,
  done: (row: Awaited<ReturnType<typeof deviceRow>>) => boolean = (row) => row !== undefined,
) => until(() => deviceRow(repository, id), done)

/** A conversation begun on the device, with one message. */
const conversationWithMessage = (meta: (at: number) => EventMeta, id: string, at: number) => [
  events.conversationCreated({ ...meta(at), conversation: newChronicleConversation(id, 'Notes', at) }),
  events.messagesAppended({
    ...meta(at),
    conversationId: id,
    messages: [
      {
        id: `${id}#1`,
        ordinal: 0,
        role: 'user',
        kind: 'text',
        createdAt: at,
        preview: 'Hello',
        text: 'Hello',
      },
    ],
  }),
]

describe('the devices table', () => {
  it('lists a device that registered, wrote and renamed itself, with its current name and first and last sighting; its messages carry its id; this device is listed', async () => {
    const { repository, sync, device } = await app()
    const { store, meta } = await device('laptop-1')
    // Later than the hub's record of the connection, which is a sighting too.
    const t = Date.now() + 60_000
    await store.commit([
      events.deviceRegistered({
        ...meta(t),
        name: 'Laptop',
        kind: 'simulator',
        platform: 'linux',
        appVersion: '9.9.9',
      }),
    ])
    await store.commit(conversationWithMessage(meta, 'chronicle:laptop-notes', t + 100))
    await store.commit([events.deviceRenamed({ ...meta(t + 300), name: 'Studio laptop' })])
    await store.waitForBackend()

    const row = await deviceRowWhen(repository, 'laptop-1', (r) => r?.name === 'Studio laptop')
    expect(row).toMatchObject({
      platform: 'linux',
      kind: 'simulator',
      app_version: '9.9.9',
      last_seen_at: t + 300,
    })
    expect(row!.first_seen_at).toBeLessThanOrEqual(t)
    expect(row!.first_seen_at).toBeGreaterThan(t - 120_000)
    const messages = await repository.db
      .selectFrom('messages')
      .select('device_id')
      .where('conversation_id', '=', 'chronicle:laptop-notes')
      .execute()
    expect(messages).toEqual([{ device_id: 'laptop-1' }])

    // This device, by the registration its main store committed and the hub confirmed.
    const local = await deviceRowWhen(repository, sync.device.id)
    expect(local).toMatchObject({
      name: sync.device.name,
      kind: 'desktop',
      platform: process.platform,
      app_version: appVersion(),
    })
    const all = await repository.db.selectFrom('devices').select('id').orderBy('id').execute()
    expect(all.map((d) => d.id)).toEqual(['laptop-1', sync.device.id].sort())

    // The bridge's own rows: they never come back as events (no echo).
    const origins = await repository.db
      .selectFrom('changes')
      .select('origin')
      .distinct()
      .where('entity', '=', 'device')
      .execute()
    expect(origins).toEqual([{ origin: 'bridge' }])
    await until(
      () => sync.repositoryBacklog(),
      (backlog) => backlog === 0,
    )
    expect((await sync.bridge.drain()).eventsCommitted).toBe(0)
  }, 60_000)

  it('lists a device that wrote before registering under its id, then by the name its registration gives', async () => {
    const { repository, device } = await app()
    const { store, meta } = await device('tablet-7')
    const t = Date.now() + 60_000
    await store.commit(conversationWithMessage(meta, 'chronicle:tablet-notes', t))
    await store.waitForBackend()
    const unnamed = await deviceRowWhen(repository, 'tablet-7')
    expect(unnamed).toMatchObject({
      name: 'tablet-7',
      kind: '',
      platform: '',
      app_version: '',
      last_seen_at: t,
    })

    await store.commit([
      events.deviceRegistered({
        ...meta(t + 500),
        name: 'Tablet',
        kind: 'web',
        platform: 'ios',
        appVersion: '1.0.0',
      }),
    ])
    await store.waitForBackend()
    const named = await deviceRowWhen(repository, 'tablet-7', (r) => r?.name === 'Tablet')
    expect(named).toMatchObject({
      kind: 'web',
      platform: 'ios',
      app_version: '1.0.0',
      first_seen_at: unnamed!.first_seen_at,
      last_seen_at: t + 500,
    })
  }, 60_000)

  it('stores a hostile name as one short printable line and goes on (bad input: 50,000 characters with terminal escapes, NUL, a right-to-left override and line breaks; a rename to bells only)', async () => {
    const { repository, device } = await app()
    const { store, meta } = await device('intruder-1')
    const t = Date.now() + 60_000
    const hostile = `\u001b[31mEvil\u0000\u202eyppah\n${'x'.repeat(50_000)}`
    await store.commit([
      events.deviceRegistered({
        ...meta(t),
        name: hostile,
        kind: 'simulator',
        platform: '\u001b]0;owned\u0007linux',
        appVersion: 'v'.repeat(10_000),
      }),
    ])
    await store.commit([events.deviceRenamed({ ...meta(t + 1), name: '\u0007\u0007\r\n' })])
    // The bridge goes on: what the device writes afterwards reaches SQL.
    await store.commit(conversationWithMessage(meta, 'chronicle:after-the-names', t + 2))
    await store.waitForBackend()
    await until(
      () =>
        repository.db
          .selectFrom('messages')
          .select('id')
          .where('id', '=', 'chronicle:after-the-names#1')
          .execute(),
      (rows) => rows.length === 1,
    )
    const row = await deviceRow(repository, 'intruder-1')
    expect(row).toMatchObject({
      name: `[31mEvil yppah ${'x'.repeat(100)}`.slice(0, 100),
      platform: ']0;owned linux',
      app_version: 'v'.repeat(64),
      last_seen_at: t + 2,
    })
  }, 60_000)
})
