/**
 * Setting up, joining or leaving a library while the application runs: sync and the sources close around the
 * change and open again as the settings now say, on a real data directory with a real sync endpoint. The hub's
 * credentials carry over (a page and local programs get back in with what they hold), API calls made meanwhile are
 * answered by the parts opened after it, a page that connects meanwhile is served by them, and a change that
 * fails (bad input: a worker that refuses) leaves sync as it was. What Settings sends that cannot be right (bad
 * input: a URL that is not one, a garbled pairing code) is refused before anything closes.
 */
import { describe, expect, it } from 'vitest'
import type { ApiResults } from '../../shared/api/contract'
import type { Result } from '../../shared/result'
import { connectRaw, type RawSyncClient } from '../hub/test-support/raw-sync-client'
import { useScratch } from '../repository/test-support/scratch'
import { readHubAddress } from '../sync/hub-address'
import { LibraryKey } from '../sync/library-key'
import { writeLibraryKey } from '../sync/library-key-file'
import { leaveLibrary } from '../sync/library-membership'
import { writeSyncSettings } from '../sync/sync-settings'
import { silentUrl } from '../test-support/silent-url'
import { PARTS, startApplication, type Application, type Listener } from './application'
import { applicationOptions, closedAtShutdown } from './test-support/application-options'

const scratch = useScratch()

function writeRemote(dataDir: string, url: string): void {
  writeLibraryKey(dataDir, LibraryKey.generate())
  writeSyncSettings(dataDir, {
    url,
    storeId: 'chronicle-AbCdEfGhIjKlMnOpQrStUv',
    joinedAt: new Date().toISOString(),
    role: 'joined',
  })
}

const connectPage = (app: Application<Listener>) =>
  connectRaw(app.listener.syncUrl, {
    authToken: app.sync.credentials.pageCredential,
    deviceId: app.sync.device.id,
    clientKind: 'ui',
  })

async function call<M extends keyof ApiResults>(
  app: Application<Listener>,
  method: M,
): Promise<ApiResults[M]> {
  const answer = (await app.dispatch(method, {})) as Result<ApiResults[M]>
  if (!answer.ok) throw new Error(`${method}: ${answer.error.code} ${answer.error.message}`)
  return answer.value
}

/** The credential local programs find in hub.json. */
function hubToken(dataDir: string): string {
  const address = readHubAddress(dataDir)
  if (typeof address === 'string') throw new Error(address)
  return address.token
}

const reopenLines = (lines: readonly string[]) =>
  lines.filter((line) => line.startsWith('sync settings change:'))

describe('the application, when its sync settings change while it runs', () => {
  it('opens sync again as the settings say, with the same credentials, and closes in order afterwards', async () => {
    const dataDir = scratch.dir()
    const lines: string[] = []
    const app = await startApplication(applicationOptions(dataDir, lines))
    const pageCredential = app.sync.credentials.pageCredential
    const token = hubToken(dataDir)
    const page = await connectPage(app)
    expect(app.sync.relay).toBeNull()

    const url = await silentUrl()
    expect(await app.resync(async () => (writeRemote(dataDir, url), 'written'))).toBe('written')
    await page.closed // dropped with the old hub
    expect(app.sync.relay).not.toBeNull()
    expect(app.sync.credentials.pageCredential).toBe(pageCredential)
    expect(hubToken(dataDir)).toBe(token)
    // Back in with what it held, at the new hub, which the API reports on.
    const again = await connectPage(app)
    expect((await call(app, 'syncStatus')).remote).toMatchObject({
      url,
      localHead: expect.any(Number) as unknown,
    })
    expect((await call(app, 'syncMembership')).remote).toMatchObject({ url, role: 'joined' })
    expect(reopenLines(lines)).toEqual([
      'sync settings change: sources closed',
      'sync settings change: sync status file closed',
      'sync settings change: sync closed',
    ])
    expect(lines.filter((line) => line.startsWith('sync: a settings change took '))).toHaveLength(1)

    await app.resync(async () => leaveLibrary(dataDir))
    await again.closed
    expect(app.sync.relay).toBeNull()
    expect((await call(app, 'syncStatus')).remote).toBeNull()
    expect((await call(app, 'syncMembership')).remote).toBeNull()
    await app.close()
    expect(closedAtShutdown(lines)).toEqual([...PARTS].reverse())
  })

  it('opens sync again as it was when the change fails, and the caller gets its error (bad input: a refusing worker)', async () => {
    const dataDir = scratch.dir()
    const lines: string[] = []
    const app = await startApplication(applicationOptions(dataDir, lines))
    const before = app.sync
    await expect(app.resync(() => Promise.reject(new Error('the worker refused this key')))).rejects.toThrow(
      'the worker refused this key',
    )
    expect(app.sync).not.toBe(before)
    expect(app.sync.relay).toBeNull()
    const page = await connectPage(app)
    expect((await call(app, 'syncStatus')).clients).toHaveLength(1)
    page.close()
    await app.close()
    expect(closedAtShutdown(lines)).toEqual([...PARTS].reverse())
  })

  it('answers API calls made during a change once it is done, and refuses a second change meanwhile', async () => {
    const dataDir = scratch.dir()
    const app = await startApplication(applicationOptions(dataDir, []))
    const url = await silentUrl()
    let during: Promise<unknown> | null = null
    let second: Promise<unknown> | null = null
    await app.resync(async () => {
      during = app.dispatch('syncStatus', {})
      second = app.resync(async () => undefined)
      await expect(second).rejects.toThrow(/already being changed/)
      writeRemote(dataDir, url)
    })
    // Asked while the old parts were closed; answered by the ones that opened with the remote.
    expect(await during).toMatchObject({ ok: true, value: { remote: { url } } })
    await app.close()
  })

  it('holds a page that connects during a change, and serves it from the new hub the moment it is done', async () => {
    const dataDir = scratch.dir()
    const options = applicationOptions(dataDir, [])
    let arrived = () => {}
    const upgradeArrived = new Promise<void>((resolve) => (arrived = resolve))
    const app = await startApplication({
      ...options,
      listen: (core) =>
        options.listen({
          ...core,
          upgrade: (request, socket, head) => (core.upgrade(request, socket, head), arrived()),
        }),
    })
    let connecting: Promise<RawSyncClient> | null = null
    await app.resync(async () => {
      connecting = connectPage(app)
      await upgradeArrived
    })
    // Refused, it would reject here, and LiveStore's client would try again only after its back-off.
    const page = await (connecting as unknown as Promise<RawSyncClient>)
    expect((await call(app, 'syncStatus')).clients).toHaveLength(1)
    page.close()
    await app.close()
  })

  it('refuses from Settings what cannot be right before anything closes (bad input: not a URL, a garbled code)', async () => {
    const dataDir = scratch.dir()
    const lines: string[] = []
    const app = await startApplication(applicationOptions(dataDir, lines))
    const refusal = (answer: unknown) => (answer as { error: { code: string; message: string } }).error
    expect(refusal(await app.dispatch('syncSetUp', { url: 'chronicle-sync.example' }))).toMatchObject({
      code: 'SYNC_REFUSED',
    })
    expect(refusal(await app.dispatch('syncJoin', { pairingCode: 'not-a-code' }))).toMatchObject({
      code: 'SYNC_REFUSED',
    })
    expect(refusal(await app.dispatch('syncPairingCode', {}))).toMatchObject({
      code: 'SYNC_REFUSED',
      message: expect.stringMatching(/no library/) as unknown,
    })
    expect(reopenLines(lines)).toEqual([])
    expect(app.sync.relay).toBeNull()
    await app.close()
  })
})
