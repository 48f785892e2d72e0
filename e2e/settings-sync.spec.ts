/**
 * Settings → "Sync between machines", as a user does it in the page: the real worker as `npm run sync-worker` runs
 * it (workerd), two real `chronicle serve` hosts on two data directories. Bad input first (a URL that is not one, a
 * garbled pairing code): the refusal is shown and nothing changes. Then the first machine sets up with its library
 * and shows the pairing code under its warning; the second, empty, joins with that code and lists the first one's
 * conversations, shows the same code again, and leaves, keeping its library. A key left by an interrupted setup is
 * named, and leaving removes it. A setup with a history of many pushes shows it going up, counted.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { LibraryKey } from '../src/main/sync/library-key'
import { libraryKeyPath, writeLibraryKey } from '../src/main/sync/library-key-file'
import { writeSessions } from '../src/main/relay/test-support/generated-sessions'
import { chronicle, SAMPLE_SOURCES } from './support/chronicle-cli'
import { startSyncWorker, type SyncWorkerProcess } from './support/sync-worker-process'
import { emptyDataDir, startWebHost, type RunningHost } from './support/web-host-process'

test.describe.configure({ timeout: 420_000 })

const persistTo = mkdtempSync(join(tmpdir(), 'chronicle-e2e-settings-worker-'))
let worker: SyncWorkerProcess
let first: RunningHost | undefined
let second: RunningHost | undefined

test.beforeAll(async () => {
  worker = await startSyncWorker(persistTo)
})
test.afterEach(async () => {
  await first?.stop()
  await second?.stop()
  first = second = undefined
})
test.afterAll(async () => {
  await worker?.stop()
  rmSync(persistTo, { recursive: true, force: true })
})

/** Opens Settings and waits for the sync section to have read where this machine stands. */
async function openSyncSettings(page: Page, state: 'syncing' | 'not-syncing') {
  await page.getByRole('button', { name: 'Settings' }).click()
  const section = page.getByTestId('sync-section')
  await expect(section).toHaveAttribute('data-state', state, { timeout: 30_000 })
  return section
}

/**
 * Runs `act` and waits for the page load it causes (the section reloads the page after a change). A refusal shown
 * instead fails at once with its text; a reload that comes late prints how late, with what serve logged meanwhile.
 */
async function reloadedBy(page: Page, act: () => Promise<void>) {
  const started = Date.now()
  const within = { timeout: 150_000 }
  // Each settles to what it saw, so the one that loses the race never rejects unheard.
  const reloaded = page.waitForEvent('load', within).then(
    () => 'reloaded' as const,
    () => 'no reload' as const,
  )
  await act()
  const error = page.getByTestId('sync-error')
  const refused = error.waitFor(within).then(
    () => 'refused' as const,
    () => 'no reload' as const,
  )
  const outcome = await Promise.race([reloaded, refused])
  const took = Date.now() - started
  const logged = () => [first, second].map((host) => host?.logTail(40) ?? '').join('\n')
  if (outcome === 'refused')
    throw new Error(`the page showed a refusal instead of reloading: ${await error.textContent()}`)
  if (outcome === 'no reload') throw new Error(`no reload within ${took} ms; serve logged:\n${logged()}`)
  if (took > 15_000) console.log(`the reload took ${took} ms; serve logged:\n${logged()}`)
}

test('set up on one machine, join on another with its code, show the code again, leave', async ({
  page,
  context,
}) => {
  const firstDir = emptyDataDir()
  const imported = (
    JSON.parse(chronicle(['import', ...SAMPLE_SOURCES, '--json', '--data-dir', firstDir])) as {
      conversations: { added: number }
    }
  ).conversations.added
  expect(imported).toBeGreaterThan(0)
  first = await startWebHost(firstDir)
  await page.goto(first.url)
  await expect(page.getByTestId('shown-count')).toHaveText(String(imported), { timeout: 30_000 })
  let section = await openSyncSettings(page, 'not-syncing')
  const error = section.getByTestId('sync-error')

  // Bad input: a URL that is not one, and a pairing code that does not check out. Each refusal is shown as the
  // main side words it, and the machine still does not sync.
  await section.getByLabel('Worker URL').fill('chronicle sync worker')
  await section.getByRole('button', { name: 'Set up sync' }).click()
  await expect(error).toHaveText(/^The worker URL is not a URL/, { timeout: 30_000 })
  await expect(section).toHaveAttribute('data-state', 'not-syncing')
  await section.getByLabel('Pairing code').fill('chronicle-pair-1-thisisnotacodethisisnotacodethisisnotacode')
  await section.getByRole('button', { name: 'Join library' }).click()
  await expect(error).toHaveText(/pairing code/i, { timeout: 30_000 })
  await expect(error).not.toHaveText(/worker URL/)
  await expect(section).toHaveAttribute('data-state', 'not-syncing')
  await expect(section.getByTestId('sync-stray-key')).toHaveCount(0)
  await page.screenshot({ path: 'test-results/screenshots/settings-sync-refused.png', fullPage: true })

  // The first machine sets up: the code is shown once, under its warning, until Done. Another tab of the same
  // machine reloads as soon as the setup is done (its store may be of an eventlog that is gone), and syncs.
  const firstTab = await context.newPage()
  await firstTab.goto(first.url)
  await expect(firstTab.getByTestId('shown-count')).toHaveText(String(imported), { timeout: 30_000 })
  const firstTabReloaded = firstTab.waitForEvent('load', { timeout: 90_000 })
  await section.getByLabel('Pairing code').fill('')
  await section.getByLabel('Worker URL').fill(worker.url)
  await section.getByRole('button', { name: 'Set up sync' }).click()
  const code = section.getByTestId('sync-pairing-code')
  await expect(code).toHaveText(/^chronicle-pair-1-/, { timeout: 60_000 })
  await expect(error).toHaveCount(0)
  await expect(section.getByTestId('sync-pairing-code-box')).toContainText(
    'Anyone with this code can read and change your whole library',
  )
  const pairingCode = (await code.textContent()) ?? ''
  await firstTabReloaded
  await expect(firstTab.getByTestId('sync-indicator')).toHaveAttribute('data-state', 'synced', {
    timeout: 60_000,
  })
  await firstTab.close()
  await page.screenshot({ path: 'test-results/screenshots/settings-sync-set-up.png', fullPage: true })
  await reloadedBy(page, () => section.getByRole('button', { name: 'Done' }).click())
  await expect(page.getByTestId('sync-indicator')).toHaveAttribute('data-state', 'synced', {
    timeout: 60_000,
  })
  section = await openSyncSettings(page, 'syncing')
  await expect(section.getByTestId('sync-remote')).toHaveAttribute('data-role', 'set-up')
  await expect(section.getByTestId('sync-worker-url')).toHaveText(new URL(worker.url).href)
  await expect(section.getByTestId('sync-store-id')).toHaveText(/^chronicle-/)

  // The second machine, empty, joins with that code and lists the first one's conversations.
  second = await startWebHost(emptyDataDir())
  const other = await context.newPage()
  await other.goto(second.url)
  await expect(other.getByTestId('empty-list')).toBeVisible({ timeout: 30_000 })
  const otherSection = await openSyncSettings(other, 'not-syncing')
  // A code cut short on the way is refused too.
  await otherSection.getByLabel('Pairing code').fill(pairingCode.slice(0, -12))
  await otherSection.getByRole('button', { name: 'Join library' }).click()
  await expect(otherSection.getByTestId('sync-error')).toHaveText(/cut short|does not check out/, {
    timeout: 30_000,
  })
  await otherSection.getByLabel('Pairing code').fill(pairingCode)
  await otherSection.getByRole('button', { name: 'Join library' }).click()
  await expect(otherSection.getByTestId('sync-busy')).toBeVisible()
  await expect(otherSection.getByRole('button', { name: 'Join library' })).toBeDisabled()
  // Its library held no conversations, only its own trail (the device it registered): that trail is exported.
  await expect(otherSection.getByTestId('sync-merged')).toContainText('held no conversations', {
    timeout: 60_000,
  })
  await expect(otherSection.getByTestId('sync-trail-export')).toContainText(join(second.dataDir, 'exports'))
  await reloadedBy(other, () => otherSection.getByRole('button', { name: 'Done' }).click())
  await expect(other.getByTestId('shown-count')).toHaveText(String(imported), { timeout: 60_000 })
  let joined = await openSyncSettings(other, 'syncing')
  await expect(joined.getByTestId('sync-remote')).toHaveAttribute('data-role', 'joined')
  await expect(joined.getByTestId('sync-role')).toContainText('Joined on')
  await expect(joined.getByTestId('sync-store-id')).toHaveText(
    (await section.getByTestId('sync-store-id').textContent()) ?? 'none',
  )

  // The code shown again on the second machine is the one the first got.
  await joined.getByRole('button', { name: 'Show pairing code' }).click()
  await expect(joined.getByTestId('sync-pairing-code')).toHaveText(pairingCode)
  await other.screenshot({ path: 'test-results/screenshots/settings-sync-joined.png', fullPage: true })

  // Leaving asks first; then this machine syncs no more and keeps its library.
  await joined.getByRole('button', { name: 'Leave…' }).click()
  await expect(joined.getByRole('group')).toContainText('the other machines keep theirs')
  await other.screenshot({ path: 'test-results/screenshots/settings-sync-leave.png', fullPage: true })
  await reloadedBy(other, () => joined.getByRole('button', { name: 'Leave the library' }).click())
  await expect(other.getByTestId('shown-count')).toHaveText(String(imported), { timeout: 60_000 })
  joined = await openSyncSettings(other, 'not-syncing')
  await expect(joined.getByTestId('sync-not-syncing')).toBeVisible()
  expect(chronicle(['sync', 'status', '--data-dir', second.dataDir])).toContain('Sync: not set up for')
  // The first machine still syncs.
  await expect(section.getByTestId('sync-remote')).toBeVisible()
})

test('a key left by an interrupted setup is named, and Leave removes it', async ({ page }) => {
  const dataDir = emptyDataDir()
  // What a setup that stopped between writing the key and the settings leaves behind.
  writeLibraryKey(dataDir, LibraryKey.generate())
  first = await startWebHost(dataDir)
  await page.goto(first.url)
  await expect(page.getByTestId('empty-list')).toBeVisible({ timeout: 30_000 })
  const section = await openSyncSettings(page, 'not-syncing')
  const stray = section.getByTestId('sync-stray-key')
  await expect(stray).toContainText('interrupted')
  await reloadedBy(page, () => stray.getByRole('button', { name: 'Leave' }).click())
  await openSyncSettings(page, 'not-syncing')
  await expect(page.getByTestId('sync-stray-key')).toHaveCount(0)
  expect(existsSync(libraryKeyPath(dataDir))).toBe(false)
})

test('setup shows the history going up, counted, while it runs', async ({ page }) => {
  const dataDir = emptyDataDir()
  // Enough events for many pushes to the worker: 300 conversations of 4 messages.
  const { projects } = writeSessions(join(dataDir, 'generated'), {
    label: 'progress',
    batch: 0,
    sessions: 300,
    messages: 4,
  })
  chronicle(['import', projects, '--source', 'claude-code', '--data-dir', dataDir])
  first = await startWebHost(dataDir)
  await page.goto(first.url)
  await expect(page.getByTestId('shown-count')).toHaveText('300', { timeout: 60_000 })
  const section = await openSyncSettings(page, 'not-syncing')
  await section.getByLabel('Worker URL').fill(worker.url)
  await section.getByRole('button', { name: 'Set up sync' }).click()
  await expect(section.getByTestId('sync-progress')).toHaveText(
    /^Sending this library's history up: [\d,]+ of [\d,]+ events$/,
    { timeout: 60_000 },
  )
  await page.screenshot({ path: 'test-results/screenshots/settings-sync-progress.png', fullPage: true })
  await expect(section.getByTestId('sync-pairing-code')).toHaveText(/^chronicle-pair-1-/, {
    timeout: 120_000,
  })
  const sent = /with ([\d,]+) events of its history sent up/.exec(
    (await section.getByTestId('sync-set-up').textContent()) ?? '',
  )?.[1]
  expect(Number(sent?.replaceAll(',', ''))).toBeGreaterThan(300)
  await expect(section.getByTestId('sync-progress')).toHaveCount(0)
  // Sync is back while the code is still on screen: the header does not wait for Done (about 1 s here).
  await expect(page.getByTestId('sync-indicator')).toHaveAttribute('data-state', 'synced', {
    timeout: 15_000,
  })
})
