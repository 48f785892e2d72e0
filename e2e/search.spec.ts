/** The search view on the real samples: results as you type, "Did you mean", and hits grouped by conversation. */
import { expect, test, type Page } from '@playwright/test'
import { chronicle, SAMPLE_SOURCES } from './support/chronicle-cli'
import { reloadWhenPersisted } from './support/library'
import { answering } from './support/search'
import { emptyDataDir, startWebHost, type RunningHost } from './support/web-host-process'

let host: RunningHost

test.describe.configure({ timeout: 120_000 })

/**
 * The samples are imported before the web host starts (the bridge brings them to the page's store as it would an
 * earlier import), so each test opens the page once: on a shared, busy machine a first open alone can take 30 s.
 */
test.beforeEach(async ({ page }) => {
  const dataDir = emptyDataDir()
  chronicle(['import', ...SAMPLE_SOURCES, '--data-dir', dataDir])
  host = await startWebHost(dataDir)
  await page.goto(host.url)
  await expect(page.getByTestId('conversation-row').first()).toBeVisible({ timeout: 60_000 })
})

test.afterEach(async () => {
  await host?.stop()
})

async function openSearch(page: Page) {
  await page.keyboard.press('Control+k')
  await expect(page.getByLabel('Search conversations')).toBeFocused()
}

test('typing migra letter by letter shows results at every keystroke', async ({ page }) => {
  await openSearch(page)
  const field = page.getByLabel('Search conversations')
  let typed = ''
  for (const letter of 'migra') {
    typed += letter
    await field.press(letter)
    // The last word is a prefix while it is typed: "migra" finds the samples' "migrates".
    await expect(answering(page, typed).getByTestId('search-hit').first()).toBeVisible()
  }
  await expect(answering(page, 'migra').getByTestId('search-hit').first()).toContainText('migrates')
})

test('a misspelled word offers its correction, and one click runs it', async ({ page }) => {
  await openSearch(page)
  const field = page.getByLabel('Search conversations')
  await field.fill('restauraton')
  await expect(page.getByTestId('search-empty')).toHaveAttribute('data-answers', 'restauraton')
  const offer = page.getByTestId('did-you-mean')
  await expect(offer).toContainText('Did you mean restauration?')
  await page.screenshot({ path: 'test-results/screenshots/search-did-you-mean.png' })

  await offer.getByTestId('suggestion').click()
  await expect(field).toHaveValue('restauration ')
  await expect(field).toBeFocused()
  const results = answering(page, 'restauration ')
  await expect(results.getByTestId('search-hit').first()).toContainText(/restauration/i)
  // 28 messages of the samples hold the word: far more than 5, so nothing more is offered.
  await expect(results.getByTestId('search-hit')).toHaveCount(28)
  await expect(offer).toHaveCount(0)
})

test('a query that finds enough offers nothing', async ({ page }) => {
  await openSearch(page)
  await page.getByLabel('Search conversations').fill('diagnostic ')
  await expect(answering(page, 'diagnostic ').getByTestId('search-hit').first()).toBeVisible()
  // Suggestions are asked a moment after typing pauses; the results of a misspelling show they would be there.
  await page.getByLabel('Search conversations').fill('diagnotic ')
  await expect(page.getByTestId('did-you-mean')).toContainText('diagnostic')
  await page.getByLabel('Search conversations').fill('diagnostic ')
  await expect(answering(page, 'diagnostic ')).toBeVisible()
  await expect(page.getByTestId('did-you-mean')).toHaveCount(0)
})

test('hits grouped by conversation: the best per conversation, N more on demand, the choice remembered', async ({
  page,
}) => {
  await openSearch(page)
  await page.getByLabel('Search conversations').fill('file ')
  const results = answering(page, 'file ')
  // The samples hold "file" in 16 messages of 5 conversations (5, 5, 3, 2 and 1).
  await expect(results.getByTestId('search-hit')).toHaveCount(16)
  const ranked = await results
    .getByTestId('search-hit')
    .evaluateAll((hits) => hits.map((hit) => hit.getAttribute('data-conversation-id')))

  await page.getByTestId('search-grouped').check()
  await expect(results).toHaveAttribute('data-grouped', 'true')
  const groups = results.getByTestId('search-group')
  await expect(groups).toHaveCount(5)
  await expect(results.getByTestId('search-hit')).toHaveCount(5)
  // One row per conversation, in the order of each one's best hit, with the count of the others it holds.
  const order = await groups.evaluateAll((rows) =>
    rows.map((row) => row.getAttribute('data-conversation-id')),
  )
  expect(order).toEqual([...new Set(ranked)])
  const more = await groups.evaluateAll((rows) =>
    rows.map((row) => row.querySelector('[data-testid="search-group-more"]')?.textContent ?? 'none'),
  )
  expect(more).toEqual(
    order.map((id) => {
      const others = ranked.filter((r) => r === id).length - 1
      return others > 0 ? `${others} more in this conversation` : 'none'
    }),
  )
  expect([...more].sort()).toEqual([
    '1 more in this conversation',
    '2 more in this conversation',
    '4 more in this conversation',
    '4 more in this conversation',
    'none',
  ])
  const target = order[more.indexOf('4 more in this conversation')] ?? ''
  const group = results.locator(`[data-testid="search-group"][data-conversation-id="${target}"]`)
  await group.getByTestId('search-group-more').click()
  await expect(group.getByTestId('search-group-more')).toHaveAttribute('aria-expanded', 'true')
  const expanded = group.getByTestId('search-hit')
  await expect(expanded).toHaveCount(5)
  expect(
    await expanded.evaluateAll((hits) => hits.map((h) => h.getAttribute('data-conversation-id'))),
  ).toEqual(Array(5).fill(target))
  await page.screenshot({ path: 'test-results/screenshots/search-grouped.png' })
  await expanded.last().click()
  await expect(page.getByTestId('reader')).toHaveAttribute('data-conversation-id', target)

  await reloadWhenPersisted(page)
  await expect(page.getByTestId('conversation-row').first()).toBeVisible({ timeout: 45_000 })
  await openSearch(page)
  await expect(page.getByTestId('search-grouped')).toBeChecked()
  await page.getByLabel('Search conversations').fill('file ')
  await expect(answering(page, 'file ').getByTestId('search-group')).toHaveCount(5)
  await page.getByTestId('search-grouped').uncheck()
  await expect(answering(page, 'file ').getByTestId('search-hit')).toHaveCount(16)
})
