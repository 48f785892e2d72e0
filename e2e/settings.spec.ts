import { cpSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { expect, test } from '@playwright/test'
import { emptyDataDir, startWebHost, type RunningHost } from './support/web-host-process'

let host: RunningHost
let home: string

test.beforeEach(async () => {
  // An empty home: discovery finds no assistant here, so every source in the view is one the test added.
  home = mkdtempSync(join(tmpdir(), 'chronicle-home-'))
  host = await startWebHost(emptyDataDir(), { HOME: home, XDG_CONFIG_HOME: join(home, '.config') })
})

test.afterEach(async () => {
  await host?.stop()
})

const SAMPLE_TASKS = resolve('..', 'shared', 'samples', 'roo-code', 'tasks')

test('add a source, import it now with progress, pause, remove, and rename this device', async ({ page }) => {
  await page.goto(host.url)
  await page.getByRole('button', { name: 'Settings' }).click()
  const settings = page.getByTestId('settings')
  await expect(settings.getByTestId('no-sources')).toBeVisible()
  await expect(settings.getByTestId('data-dir')).toHaveText(host.dataDir)

  // The web host takes typed paths inside the home folder only.
  const rooTasks = join(home, 'roo', 'tasks')
  cpSync(SAMPLE_TASKS, rooTasks, { recursive: true })

  // Bad input: a relative path, a folder outside home (answered as a missing one), then a folder with no
  // assistant history in it.
  const path = page.getByLabel('Source path')
  await path.fill('shared/samples')
  await page.getByRole('button', { name: 'Add source' }).click()
  await expect(page.getByTestId('settings-error')).toContainText('is not a full path')
  for (const elsewhere of [SAMPLE_TASKS, join(home, 'missing')]) {
    await path.fill(elsewhere)
    await page.getByRole('button', { name: 'Add source' }).click()
    await expect(page.getByTestId('settings-error')).toHaveText(
      `${elsewhere} is not a folder or file Chronicle can read in ${home}.`,
    )
  }
  await path.fill(mkdtempSync(join(home, 'nothing-')))
  await page.getByRole('button', { name: 'Add source' }).click()
  await expect(page.getByTestId('settings-error')).toContainText(
    'No Roo Code, Cline, Claude Code or ChatGPT history',
  )

  await path.fill(rooTasks)
  await page.getByRole('button', { name: 'Add source' }).click()
  const source = settings.getByTestId('source')
  await expect(source).toHaveCount(1)
  await expect(source).toContainText('Roo Code')
  await expect(source).toContainText('Added')
  await expect(page.getByTestId('settings-error')).toHaveCount(0)

  await source.getByRole('button', { name: 'Import now' }).click()
  const progress = page.getByTestId('import-progress')
  await expect(progress).toHaveAttribute('data-state', 'done', { timeout: 20_000 })
  await expect(page.getByTestId('import-result')).toContainText('2 new conversations')
  await expect(source).toContainText('Last import')
  await page.screenshot({ path: 'test-results/screenshots/settings.png', fullPage: true })

  await source.getByRole('button', { name: 'Pause' }).click()
  await expect(source).toContainText('Paused')
  await source.getByRole('button', { name: 'Resume' }).click()
  // The e2e host runs `serve --no-watch`: an enabled source is imported when asked.
  await expect(source).toContainText('On request')

  // This device's name, as the devices view shows it.
  await page.getByLabel('Device name').fill('Studio laptop')
  await page.getByRole('button', { name: 'Rename' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible()

  // Removing the source keeps what it imported.
  await source.getByRole('button', { name: 'Remove' }).click()
  await expect(settings.getByTestId('no-sources')).toBeVisible()
  await page.getByRole('button', { name: 'Conversations' }).click()
  await expect(page.getByTestId('conversation-row')).toHaveCount(2)
  await page.getByRole('button', { name: 'Devices' }).click()
  await expect(page.getByTestId('devices')).toContainText('Studio laptop')
})
