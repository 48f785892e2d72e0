/**
 * The application's one start and close order, with real parts on a real data directory: the repository, the sync
 * runtime (hub, LiveStore store, bridge), the import sources and a real sync endpoint as the listener. Closing
 * walks the parts backwards and still drains what was written just before it; a start that fails part-way (bad
 * input: a listener that cannot listen, a library another process runs) closes what it started and leaves the
 * data directory usable.
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DataDirLockedError, LOCK_FILE } from '../data-dir-lock'
import type { Repository } from '../repository/repository'
import { useScratch } from '../repository/test-support/scratch'
import { connectRaw } from '../hub/test-support/raw-sync-client'
import { until } from '../hub/test-support/until'
import { HUB_FILE, readHubAddress } from '../sync/hub-address'
import { LibraryKey } from '../sync/library-key'
import { writeLibraryKey } from '../sync/library-key-file'
import { SYNC_SETTINGS_FILE, writeSyncSettings } from '../sync/sync-settings'
import { startWebHost, type WebHost } from '../web-host/web-host'
import { PARTS, startApplication } from './application'
import { applicationOptions, closedAtShutdown } from './test-support/application-options'

const scratch = useScratch()

const options = applicationOptions
const closed = closedAtShutdown

const conversationEvents = (repository: Repository, id: string) =>
  repository.db
    .selectFrom('hub_events')
    .select('name')
    .where('name', '=', 'v1.ConversationImported')
    .where('args', 'like', `%"${id}"%`)
    .execute()

describe('the application', () => {
  it('serves its hub to local programs, and closes in reverse start order after draining the last write', async () => {
    const dataDir = scratch.dir()
    const lines: string[] = []
    const app = await startApplication(options(dataDir, lines))
    const address = readHubAddress(dataDir)
    expect(typeof address === 'string' ? address : address.url).toBe(app.listener.syncUrl)
    const session = await app.dispatch('session', {})
    expect(session).toMatchObject({ ok: true, value: { hub: { url: app.listener.syncUrl } } })

    // Written the moment before quitting: the bridge must still make it an event before the store stops.
    await app.repository.write('cli', (writer) =>
      writer.upsertConversations([
        { id: 'last-words', source: 'roo', sourceId: 'last-words', title: 'Last words', createdAt: 1 },
      ]),
    )
    await app.close()

    expect(closed(lines)).toEqual([...PARTS].reverse())
    expect(existsSync(join(dataDir, HUB_FILE))).toBe(false)
    const reopened = scratch.open({ dataDir })
    expect(await conversationEvents(reopened, 'last-words')).toHaveLength(1)
  })

  it('closes while a page is still connected to its hub through the web host', async () => {
    const dataDir = scratch.dir()
    const rendererDir = scratch.dir()
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Chronicle</title>')
    const lines: string[] = []
    const app = await startApplication<WebHost>({
      ...options(dataDir, lines),
      listen: ({ upgrade, dispatch }) =>
        startWebHost({
          dispatcher: dispatch,
          rendererDir,
          log: () => undefined,
          port: 0,
          onSyncUpgrade: upgrade,
        }),
    })
    const page = await connectRaw(app.listener.syncUrl, {
      authToken: app.sync.credentials.pageCredential,
      deviceId: app.sync.device.id,
      clientKind: 'ui',
    })
    await app.close()
    await page.closed
    expect(closed(lines)).toEqual([...PARTS].reverse())
  })

  it('closes only once, however often it is asked', async () => {
    const lines: string[] = []
    const app = await startApplication(options(scratch.dir(), lines))
    await Promise.all([app.close(), app.close()])
    await app.close()
    expect(closed(lines)).toEqual([...PARTS].reverse())
  })

  it('a listener that cannot listen closes what had started, and the data directory starts again', async () => {
    const dataDir = scratch.dir()
    const lines: string[] = []
    const refused = Object.assign(new Error('listen EADDRINUSE 127.0.0.1:1'), { code: 'EADDRINUSE' })
    await expect(
      startApplication({
        ...options(dataDir, lines),
        listen: () => Promise.reject(refused),
      }),
    ).rejects.toBe(refused)
    expect(closed(lines)).toEqual(['sources', 'sync status file', 'sync', 'lock', 'repository'])
    expect(existsSync(join(dataDir, HUB_FILE))).toBe(false)

    const again = await startApplication(options(dataDir, []))
    await again.close()
  })

  it('refuses a library another live process runs (bad input: a second serve on the same data directory)', async () => {
    const dataDir = scratch.dir()
    const other = spawn('sleep', ['30'])
    scratch.defer(() => void other.kill())
    writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify({ pid: other.pid, holder: 'the Chronicle app' }))
    const lines: string[] = []
    await expect(startApplication(options(dataDir, lines))).rejects.toThrow(DataDirLockedError)
    expect(closed(lines)).toEqual(['repository'])
    expect(existsSync(join(dataDir, HUB_FILE))).toBe(false)
  })

  it('a repository that cannot open (bad input: a locked database) starts nothing', async () => {
    const lines: string[] = []
    const dataDir = scratch.dir()
    await expect(
      startApplication({
        ...options(dataDir, lines),
        openRepository: () => {
          throw new Error('database is locked')
        },
      }),
    ).rejects.toThrow('database is locked')
    expect(closed(lines)).toEqual([])
  })
})

describe('the application and its sync remote', () => {
  const remote = (url: string) => ({
    url,
    storeId: 'chronicle-AbCdEfGhIjKlMnOpQrStUv',
    joinedAt: new Date().toISOString(),
    role: 'joined' as const,
  })
  const syncLines = (lines: readonly string[]) => lines.filter((line) => line.startsWith('sync: '))

  it('starts a data directory without sync.json as before: no relay, nothing said or written about sync', async () => {
    const dataDir = scratch.dir()
    writeLibraryKey(dataDir, LibraryKey.generate()) // a stray key (an interrupted setup) is no remote
    const lines: string[] = []
    const app = await startApplication(options(dataDir, lines))
    expect(app.sync.relay).toBeNull()
    await app.close()
    expect(closed(lines)).toEqual([...PARTS].reverse())
    expect(syncLines(lines)).toEqual([])
    expect(existsSync(join(dataDir, SYNC_SETTINGS_FILE))).toBe(false)
  })

  it('relays to the remote sync.json names, with the key beside it', async () => {
    const dataDir = scratch.dir()
    // A port nothing listens on: the relay is started and finds the remote unreachable, which the test can see.
    const server = createServer().listen(0, '127.0.0.1')
    await once(server, 'listening')
    const { port } = server.address() as AddressInfo
    await new Promise((resolve) => server.close(resolve))
    writeLibraryKey(dataDir, LibraryKey.generate())
    writeSyncSettings(dataDir, remote(`http://127.0.0.1:${port}/`))
    const lines: string[] = []
    const app = await startApplication(options(dataDir, lines))
    const relay = app.sync.relay
    expect(relay).not.toBeNull()
    const status = await until(
      () => relay!.status(),
      (s) => s.connection.state !== 'connecting',
    )
    expect(status.connection.state).toBe('unreachable')
    await app.close()
    expect(closed(lines)).toEqual([...PARTS].reverse())
  })

  it('starts without relaying when sync.json is damaged, and logs why (bad input: a cut file)', async () => {
    const dataDir = scratch.dir()
    writeLibraryKey(dataDir, LibraryKey.generate())
    writeFileSync(join(dataDir, SYNC_SETTINGS_FILE), '{"version":1,"url":"http://127.0.0.1')
    const lines: string[] = []
    const app = await startApplication(options(dataDir, lines))
    expect(app.sync.relay).toBeNull()
    await app.close()
    expect(syncLines(lines)).toEqual([
      `sync: not relaying to a remote: ${join(dataDir, SYNC_SETTINGS_FILE)} is damaged (not JSON). ` +
        'Run `chronicle sync leave` to remove it (your local library is kept), then set up or join again with a ' +
        'pairing code.',
    ])
  })
})
