/**
 * The library view survives a reload: the list's filter, its grouping and the open conversation are kept in the
 * page's store (a LiveStore client document), not in React state that a reload, or the store's own repair
 * reload, would lose.
 */
import { expect, test } from '@playwright/test'
import { importSamples, reloadWhenPersisted } from './support/library'
import { emptyDataDir, startWebHost, type RunningHost } from './support/web-host-process'

let host: RunningHost

test.beforeEach(async () => {
  host = await startWebHost(emptyDataDir())
})

test.afterEach(async () => {
  await host?.stop()
})

test('a filter, the grouping and the open conversation are restored after a reload', async ({ page }) => {
  // The first open of a new store can take longer than the helper waits on a busy machine.
  await page.goto(host.url)
  await expect(page.getByTestId('empty-list')).toBeVisible({ timeout: 30_000 })
  await importSamples(page, host)
  await page.getByLabel('Source').selectOption('roo')
  await page.getByLabel('Group').selectOption('workspace')
  const rows = page.getByTestId('conversation-row')
  await expect(rows.first()).toContainText('roo')
  const chosen = rows.nth(1)
  const id = (await chosen.getAttribute('data-conversation-id')) ?? ''
  await chosen.click()
  const title = (await page.getByTestId('reader-title').textContent()) ?? ''
  expect(title).not.toBe('')
  const shown = (await page.getByTestId('shown-count').textContent()) ?? ''

  await reloadWhenPersisted(page)

  await expect(page.getByLabel('Source')).toHaveValue('roo', { timeout: 20_000 })
  await expect(page.getByLabel('Group')).toHaveValue('workspace')
  await expect(page.getByTestId('shown-count')).toHaveText(shown)
  await expect(
    page.locator(`[data-testid="conversation-row"][data-conversation-id="${id}"]`),
  ).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByTestId('reader-title')).toHaveText(title)
})
