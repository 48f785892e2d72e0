/**
 * The usage dashboard in Chromium on the real samples: the daily costs the samples' logs carry, a filter that
 * changes them, and an import from another process that moves them while the view is open, without a reload.
 * Screenshots (light and dark) and the page's own paint timings are written to test-results/usage-dashboard/.
 */
import { expect, test, type Page } from '@playwright/test'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { chronicle, SAMPLE_SOURCES } from './support/chronicle-cli'
import { emptyDataDir, startWebHost, type RunningHost } from './support/web-host-process'

const OUT = join('test-results', 'usage-dashboard')
const [ROO_TASKS, CLAUDE_CODE, CLINE_SDK] = SAMPLE_SOURCES as [string, string, string]

// Local days are the page's: pin the zone and the locale, so the days and the figures read the same everywhere.
test.use({ timezoneId: 'UTC', locale: 'en-US' })

let host: RunningHost

test.beforeEach(async () => {
  host = await startWebHost(emptyDataDir())
})

test.afterEach(async () => {
  await host?.stop()
})

const importFrom = (...paths: string[]) =>
  JSON.parse(chronicle(['import', ...paths, '--json', '--data-dir', host.dataDir])) as {
    conversations: { added: number }
  }

/** The table row of one period, found by the period's label. */
const periodRow = (page: Page, label: string) =>
  page
    .getByTestId('usage-table')
    .locator('tbody tr')
    .filter({ has: page.getByRole('rowheader', { name: label }) })

const measures = (page: Page, name: string) =>
  page.evaluate((n) => performance.getEntriesByName(n).map((e) => Math.round(e.duration * 10) / 10), name)

test('daily costs from the samples, a filter that changes them, an import that moves them', async ({
  page,
}) => {
  mkdirSync(OUT, { recursive: true })
  await page.goto(host.url)
  await expect(page.getByTestId('empty-list')).toBeVisible({ timeout: 30_000 })
  // Roo Code and Cline: the cost of each request is in their own logs (Roo's task 30 requests on one day).
  expect(importFrom(ROO_TASKS, CLINE_SDK).conversations.added).toBe(3)
  await expect(page.getByTestId('conversation-row')).toHaveCount(3, { timeout: 20_000 })

  // Opened once the page has taken in the import, so the first paint measured is the dashboard's own.
  await expect(page.getByTestId('sync-indicator')).toHaveAttribute('data-state', 'synced', {
    timeout: 20_000,
  })
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Usage' }).click()
  const dashboard = page.getByTestId('usage-dashboard')
  await expect(dashboard).toHaveAttribute('data-state', 'ready', { timeout: 20_000 })
  await dashboard.getByRole('button', { name: 'Show tables' }).click()
  // The samples' logged costs: Roo's task $2.90000775 over 30 requests on 17 September 2025, Cline's $0.13.
  await expect(periodRow(page, 'Sep 17, 2025').getByTestId('usage-period-total')).toHaveText('$2.90')
  await expect(periodRow(page, 'Apr 22, 2025').getByTestId('usage-period-total')).toHaveText('$0.13')
  await expect(page.getByTestId('usage-total-cost')).toHaveText('$3.03')
  await expect(page.getByTestId('usage-top-conversations').getByRole('button')).toHaveCount(2)
  // The chart is a keyboard stop: Home and the arrows walk its periods, as the pointer does.
  await dashboard.getByRole('figure').focus()
  await page.keyboard.press('Home')
  await expect(page.getByTestId('usage-readout')).toHaveText('Apr 22, 2025: $0.13')
  await page.keyboard.press('ArrowRight')
  await expect(page.getByTestId('usage-readout')).toHaveText('Sep 17, 2025: $2.90')

  // The list's source filter, set on the dashboard: Cline's day leaves the figures.
  await dashboard.getByLabel('Source', { exact: true }).selectOption('roo')
  await expect(page.getByTestId('usage-total-cost')).toHaveText('$2.90')
  await expect(periodRow(page, 'Apr 22, 2025')).toHaveCount(0)
  await expect(periodRow(page, 'Sep 17, 2025').getByTestId('usage-period-total')).toHaveText('$2.90')
  await dashboard.getByLabel('Source', { exact: true }).selectOption('')
  await expect(page.getByTestId('usage-total-cost')).toHaveText('$3.03')

  // Claude Code's sessions arrive from another process while the view is open: new days appear.
  const tokensBefore = await page.getByTestId('usage-total-tokens').getAttribute('title')
  importFrom(CLAUDE_CODE)
  await expect(periodRow(page, 'Feb 16, 2026')).toHaveCount(1, { timeout: 20_000 })
  expect(await page.getByTestId('usage-total-tokens').getAttribute('title')).not.toBe(tokensBefore)
  await dashboard.getByRole('group', { name: 'Show' }).getByRole('button', { name: 'Tokens' }).click()
  // 23 in, 88 out, 9,036 cache writes and 239,606 cache reads over the day's 9 responses.
  await expect(periodRow(page, 'Feb 16, 2026').getByTestId('usage-period-total')).toHaveText('248,753')
  await dashboard.getByRole('group', { name: 'Show' }).getByRole('button', { name: 'Cost' }).click()
  // Claude Code logs no cost: the bundled table (LiteLLM, claude-opus-4-6: $5 in, $25 out, $10 one-hour cache
  // writes, $0.50 cache reads per million) prices that day at 23×5 + 88×25 + 9,036×10 + 239,606×0.5 per million
  // = $0.212478, and the same tokens uncached (248,665 prompt tokens at $5, the output at $25) at $1.245525.
  await expect(periodRow(page, 'Feb 16, 2026').getByTestId('usage-period-total')).toHaveText('$0.212')
  // Roo's and Cline's $3.0300078 logged, and Claude Code's four days: $0.47379825, $0.0311853, $0.0456695, $0.212478.
  await expect(page.getByTestId('usage-total-cost')).toHaveText('$3.79')
  // What caching saved on Claude Code's four days, uncached less priced: $0.895365 − $0.47379825,
  // $0.152451 − $0.0311853, $0.099995 − $0.0456695 and $1.245525 − $0.212478.
  await dashboard.getByLabel('Source', { exact: true }).selectOption('claude-code')
  await expect(page.getByTestId('usage-total-cost')).toHaveText('$0.763')
  await expect(page.getByTestId('usage-cache-saved')).toContainText('$1.63')
  await dashboard.getByLabel('Source', { exact: true }).selectOption('')
  await expect(page.getByTestId('usage-total-cost')).toHaveText('$3.79')

  // A conversation in the ranking opens in the reader.
  const costliest = page.getByTestId('usage-top-conversations').getByRole('button').first()
  const title = (await costliest.locator('.usage-rank-title').textContent()) ?? ''
  await dashboard.getByRole('button', { name: 'Hide tables' }).click()
  // The app scrolls inside its frame: a tall window shows the whole dashboard in one screenshot.
  await page.setViewportSize({ width: 1280, height: 1900 })
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    await expect(dashboard).toHaveAttribute('data-state', 'ready')
    await page.screenshot({ path: join(OUT, `usage-dashboard-${scheme}.png`), fullPage: true })
  }
  const timings = {
    firstPaintMs: await measures(page, 'usage first paint'),
    filterRenderMs: await measures(page, 'usage filter render'),
    // Where the first paint's time goes: the dashboard's chunk and each answer of the usage method.
    requests: await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter((e) => /usage/.test(e.name))
        .map((e) => `${e.name.replace(/^.*\//, '')} ${Math.round(e.duration)} ms`),
    ),
  }
  writeFileSync(join(OUT, 'timings.json'), `${JSON.stringify(timings, null, 2)}\n`)
  expect(timings.firstPaintMs).toHaveLength(1)
  expect(timings.filterRenderMs.length).toBeGreaterThanOrEqual(2)

  const id = (await costliest.getAttribute('data-conversation-id')) ?? ''
  await costliest.click()
  await expect(page.getByTestId('reader-title')).toHaveText(title)
  // The reader's header and the list's row: the cost Roo logged, and the four token kinds (exact in the tooltip).
  const exact = '285 input, 16,461 output, 689,253 cache write, 1,039,280 cache read tokens'
  await expect(page.getByTestId('reader-cost')).toHaveText('$2.90')
  await expect(page.getByTestId('reader-tokens')).toHaveAttribute('title', exact)
  await expect(page.getByTestId('reader-tokens')).toHaveText('285 in · 16.5K out · 689.3K cw · 1M cr')
  const row = page.locator(`[data-testid="conversation-row"][data-conversation-id="${id}"]`)
  await expect(row.getByTestId('conversation-cost')).toHaveText('$2.90')
  await expect(row.getByTestId('conversation-tokens')).toHaveAttribute('title', exact)
  await page.screenshot({ path: join(OUT, 'list-and-reader-dark.png') })
})

const isUsageChunk = (url: string) => /\/assets\/usage-view-[\w-]+\.js$/.test(url)

/** Wheel turns every 300 ms for `ms`: a user scrolling, so never still for the quiet time (2 s). */
async function keepScrolling(page: Page, ms: number) {
  for (let waited = 0; waited < ms; waited += 300) {
    await page.mouse.wheel(0, 40)
    await page.waitForTimeout(300)
  }
}

/** Opens the library in `page`; returns the requests for the dashboard's chunk, as they come. */
async function openRecordingChunk(page: Page): Promise<string[]> {
  const requested: string[] = []
  page.on('request', (request) => {
    if (isUsageChunk(request.url())) requested.push(request.url())
  })
  await page.goto(host.url)
  await expect(page.getByTestId('empty-list')).toBeVisible({ timeout: 30_000 })
  return requested
}

test("the dashboard's code waits while the user scrolls, comes once the page is still, and at once on intent", async ({
  page,
  browser,
}) => {
  const requested = await openRecordingChunk(page)
  await keepScrolling(page, 4_000)
  expect(requested).toEqual([])
  // Still: fetched after the quiet time, at an idle moment.
  await expect.poll(() => requested.length, { timeout: 10_000 }).toBe(1)

  // Another window (its own cache): the pointer on the Usage tab fetches it while the user is still scrolling.
  const other = await browser.newContext({ timezoneId: 'UTC', locale: 'en-US' })
  const fresh = await other.newPage()
  const freshRequests = await openRecordingChunk(fresh)
  await keepScrolling(fresh, 2_500)
  const usageTab = fresh.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Usage' })
  await usageTab.hover()
  await expect.poll(() => freshRequests.length, { timeout: 1_000 }).toBe(1)
  await usageTab.click()
  await expect(fresh.getByTestId('usage-dashboard')).toHaveAttribute('data-state', 'ready', {
    timeout: 20_000,
  })
  await other.close()
})
