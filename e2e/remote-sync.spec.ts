/**
 * The header and the Devices view follow the sync worker this machine relays to: the real worker as
 * `npm run sync-worker` runs it (workerd), the real `chronicle serve`, set up with `chronicle sync setup`. Synced
 * once the worker holds the library; with the worker stopped, "Offline: N changes waiting" while an import's changes
 * cannot go up; with it back, Synced again and the import in the list. Bad input: a library key the worker does not
 * accept shows "Sync refused" with the worker's reason, never "Offline"; a refusal the user mended (a library claimed
 * after the machine was refused) is tried again with the Devices view's button. Two machines (two data directories, two
 * serves, one joined with the other's pairing code): an import on one reaches the other's list, each lists both
 * machines online, and when the first stops the second shows it last seen. Bad input from another holder of the
 * key: an event the worker serves that does not open is shown as refused, here and in `chronicle sync status`.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { loadOrCreateSigningKey } from '../src/main/audit/signing-key'
import { sealEvent } from '../src/main/relay/relay-codec'
import { openUpstream } from '../src/main/relay/upstream-connection'
import { deriveSyncKeys, LibraryKey } from '../src/main/sync/library-key'
import { readLibraryKey, writeLibraryKey } from '../src/main/sync/library-key-file'
import { readSyncSettings, writeSyncSettings } from '../src/main/sync/sync-settings'
import { chronicle, SAMPLE_SOURCES } from './support/chronicle-cli'
import { startSyncWorker, type SyncWorkerProcess } from './support/sync-worker-process'
import { emptyDataDir, startWebHost, type RunningHost } from './support/web-host-process'

test.describe.configure({ timeout: 150_000 })

const persistTo = mkdtempSync(join(tmpdir(), 'chronicle-e2e-worker-'))
let worker: SyncWorkerProcess
let host: RunningHost | undefined
let other: RunningHost | undefined

test.beforeAll(async () => {
  worker = await startSyncWorker(persistTo)
})
test.afterEach(async () => {
  await host?.stop()
  await other?.stop()
  host = other = undefined
})
test.afterAll(async () => {
  await worker?.stop()
  rmSync(persistTo, { recursive: true, force: true })
})

/** A library set up on the worker and served, its page open: what the tests below start from. */
async function syncedPage(page: Page): Promise<string> {
  const dataDir = emptyDataDir()
  chronicle(['sync', 'setup', worker.url, '--data-dir', dataDir])
  host = await startWebHost(dataDir)
  await page.goto(host.url)
  return dataDir
}

test('the header says Synced, Offline with the changes waiting while the worker is away, and Synced again', async ({
  page,
}) => {
  const dataDir = await syncedPage(page)
  await expect(page.getByTestId('empty-list')).toBeVisible({ timeout: 30_000 })
  const indicator = page.getByTestId('sync-indicator')
  await expect(indicator).toHaveAttribute('data-state', 'synced', { timeout: 30_000 })
  await indicator.click()
  const connection = page.getByTestId('remote-connection')
  await expect(connection).toHaveAttribute('data-state', 'connected')
  await expect(page.getByTestId('remote-sync')).toContainText(readSyncSettings(dataDir)?.storeId ?? 'none')

  await worker.stop()
  await expect(connection).toHaveAttribute('data-state', 'unreachable', { timeout: 20_000 })
  const summary = JSON.parse(chronicle(['import', ...SAMPLE_SOURCES, '--json', '--data-dir', dataDir])) as {
    conversations: { added: number }
  }
  await expect(indicator).toHaveText(/^Offline: [\d,]+ changes? waiting$/, { timeout: 30_000 })
  await expect(indicator).toHaveAttribute('data-state', 'offline')
  await expect(page.getByTestId('remote-heads')).toContainText('waiting to go up')
  await page.screenshot({ path: 'test-results/screenshots/remote-sync-offline.png', fullPage: true })

  await worker.start()
  await expect(indicator).toHaveAttribute('data-state', 'synced', { timeout: 60_000 })
  await expect(connection).toHaveAttribute('data-state', 'connected')
  await expect(page.getByTestId('remote-heads')).not.toContainText('waiting')
  const heads = (await page.getByTestId('remote-heads').textContent()) ?? ''
  const [, remoteHead, localHead] = /Worker head ([\d,]+) · this machine holds ([\d,]+)/.exec(heads) ?? []
  expect(remoteHead).toBeDefined()
  expect(remoteHead).toBe(localHead)
  await page.getByRole('button', { name: 'Conversations' }).click()
  await expect(page.getByTestId('shown-count')).toHaveText(String(summary.conversations.added))
})

test('a key the worker does not accept is shown as refused, with its reason, not as offline', async ({
  page,
}) => {
  const first = emptyDataDir()
  chronicle(['sync', 'setup', worker.url, '--data-dir', first])
  const settings = readSyncSettings(first)
  rmSync(first, { recursive: true, force: true })
  expect(settings).not.toBeNull()
  // Another machine given the library's address with a key of its own: a stale or forged pairing.
  const dataDir = emptyDataDir()
  writeLibraryKey(dataDir, LibraryKey.generate())
  writeSyncSettings(dataDir, { ...settings!, role: 'joined' })
  host = await startWebHost(dataDir)
  await page.goto(host.url)
  const indicator = page.getByTestId('sync-indicator')
  await expect(indicator).toHaveAttribute('data-state', 'refused', { timeout: 30_000 })
  await expect(indicator).toHaveText('Sync refused')
  await expect(indicator).toHaveAttribute('title', /The sync worker refused: HTTP 401/)
  await indicator.click()
  await expect(page.getByTestId('remote-connection')).toHaveAttribute('data-state', 'refused')
  await expect(page.getByTestId('remote-connection')).toContainText('Refused by the worker: HTTP 401')
  await page.screenshot({ path: 'test-results/screenshots/remote-sync-refused.png', fullPage: true })
})

test('a refusal the user mended is tried again from the Devices view, and sync starts', async ({ page }) => {
  // Bad input: a machine given a library nobody claimed on the worker (set up by hand, or a worker reset since).
  const dataDir = emptyDataDir()
  const key = LibraryKey.generate()
  const storeId = 'chronicle-TriedAgainAfterAClaim1'
  writeLibraryKey(dataDir, key)
  const url = new URL(worker.url).href
  writeSyncSettings(dataDir, { url, storeId, joinedAt: new Date().toISOString(), role: 'joined' })
  host = await startWebHost(dataDir)
  await page.goto(host.url)
  const indicator = page.getByTestId('sync-indicator')
  await expect(indicator).toHaveAttribute('data-state', 'refused', { timeout: 30_000 })
  await indicator.click()
  const connection = page.getByTestId('remote-connection')
  await expect(connection).toContainText('has not been claimed')

  // Mended: the library's key claims it. The relay does not retry a refusal by itself; the user does.
  const claimed = await fetch(`${url}libraries/${storeId}/claim`, {
    method: 'POST',
    headers: { authorization: `Bearer ${deriveSyncKeys(key, storeId).workerToken}` },
  })
  expect(claimed.status).toBe(201)
  await expect(connection).toHaveAttribute('data-state', 'refused')
  await connection.getByRole('button', { name: 'Try again' }).click({ timeout: 10_000 })
  await expect(connection).toHaveAttribute('data-state', 'connected', { timeout: 30_000 })
  await expect(indicator).toHaveAttribute('data-state', 'synced', { timeout: 30_000 })
  await expect(connection.getByRole('button', { name: 'Try again' })).toHaveCount(0)
})

test("two machines: an import on one reaches the other's list, and each lists both machines online", async ({
  page,
  context,
}) => {
  const first = emptyDataDir()
  const { pairingCode } = JSON.parse(
    chronicle(['sync', 'setup', worker.url, '--json', '--data-dir', first]),
  ) as {
    pairingCode: string
  }
  const second = emptyDataDir()
  chronicle(['sync', 'join', pairingCode, '--data-dir', second])
  host = await startWebHost(first)
  other = await startWebHost(second)
  const otherPage = await context.newPage()
  await page.goto(host.url)
  await otherPage.goto(other.url)
  await expect(otherPage.getByTestId('empty-list')).toBeVisible({ timeout: 30_000 })

  const summary = JSON.parse(chronicle(['import', ...SAMPLE_SOURCES, '--json', '--data-dir', first])) as {
    conversations: { added: number }
  }
  await expect(otherPage.getByTestId('shown-count')).toHaveText(String(summary.conversations.added), {
    timeout: 60_000,
  })
  await expect(otherPage.getByTestId('sync-indicator')).toHaveAttribute('data-state', 'synced', {
    timeout: 30_000,
  })

  for (const seen of [page, otherPage]) {
    await seen.getByTestId('sync-indicator').click()
    const machines = seen.getByTestId('remote-machine')
    await expect(machines).toHaveCount(2, { timeout: 15_000 })
    await expect(machines.and(seen.locator('[data-online="true"]'))).toHaveCount(2)
    await expect(machines.filter({ hasText: '(this machine)' })).toHaveCount(1)
    await expect(machines.first()).toContainText('0.1.0')
    // The other machine's devices are not this hub's clients; the worker says they are online.
    await expect(seen.getByTestId('presence').filter({ hasText: 'Online (another machine)' })).toHaveCount(1)
  }
  await expect(otherPage.getByTestId('remote-machines')).toContainText('up to date', { timeout: 15_000 })
  await otherPage.screenshot({
    path: 'test-results/screenshots/remote-sync-two-machines.png',
    fullPage: true,
  })

  // The first machine stops: the second shows it last seen, and itself still online.
  await page.close()
  await host.stop()
  host = undefined
  const firstMachine = otherPage.getByTestId('remote-machine').filter({ hasNotText: '(this machine)' })
  await expect(firstMachine).toHaveAttribute('data-online', 'false', { timeout: 20_000 })
  await expect(firstMachine).toContainText('Last seen')
  const thisMachine = otherPage.getByTestId('remote-machine').filter({ hasText: '(this machine)' })
  await expect(thisMachine).toHaveAttribute('data-online', 'true')
})

test('an event from the worker that does not open is shown as refused, and sync goes on', async ({
  page,
}) => {
  const dataDir = await syncedPage(page)
  const indicator = page.getByTestId('sync-indicator')
  await expect(indicator).toHaveAttribute('data-state', 'synced', { timeout: 30_000 })

  // Another holder of the key moves a sealed event to another place in the eventlog: it no longer opens.
  const { storeId } = readSyncSettings(dataDir)!
  const keys = deriveSyncKeys(readLibraryKey(dataDir)!, storeId)
  const forger = await openUpstream({ url: worker.url, storeId, token: keys.workerToken })
  if ('kind' in forger) throw new Error(forger.reason)
  const forgerKey = loadOrCreateSigningKey(mkdtempSync(join(tmpdir(), 'chronicle-e2e-forger-')))
  const args = {
    at: 1,
    deviceId: 'dev-forger',
    actor: 'user',
    origin: 'ui',
    conversationId: 'c1',
    title: 'x',
  }
  const moved = { name: 'v1.ConversationRenamed', clientId: 'forger', sessionId: 's', args }
  const probe = await forger.push([{ ...moved, seqNum: 1, parentSeqNum: 0 }], null)
  const head = probe.kind === 'server-ahead' ? probe.remoteHead : 0
  const sealed = sealEvent(keys.eventArgs, forgerKey, storeId, {
    ...moved,
    seqNum: head + 2,
    parentSeqNum: head + 1,
  })
  expect(await forger.push([{ ...sealed, seqNum: head + 1, parentSeqNum: head }], null)).toEqual({
    kind: 'ok',
  })
  forger.close({ kind: 'unreachable', reason: 'done' })

  await indicator.click()
  const refused = page.getByTestId('remote-refused')
  await expect(refused).toContainText('1 event from the worker refused', { timeout: 30_000 })
  await expect(refused).toContainText(`the latest: event ${head + 1} (v1.ConversationRenamed)`)
  await expect(refused).not.toContainText('..')
  await expect(page.getByTestId('remote-connection')).toHaveAttribute('data-state', 'connected')
  await page.screenshot({ path: 'test-results/screenshots/remote-sync-refused-event.png', fullPage: true })
  expect(chronicle(['sync', 'status', '--data-dir', dataDir])).toMatch(
    new RegExp(
      `Refused: 1 event from the worker.* The latest: event ${head + 1} \\(v1.ConversationRenamed\\)`,
    ),
  )
  // Sync goes on: an import after the refusal reaches the worker.
  chronicle(['import', ...SAMPLE_SOURCES, '--data-dir', dataDir])
  await expect(indicator).toHaveAttribute('data-state', 'synced', { timeout: 60_000 })
  await expect(page.getByTestId('remote-heads')).not.toContainText('waiting')
})
