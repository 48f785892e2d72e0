import { expect, test } from '@playwright/test'
import { seededDataDir, startWebHost, type RunningHost } from './support/web-host-process'

let host: RunningHost

test.beforeAll(async () => {
  host = await startWebHost(seededDataDir())
})

test.afterAll(async () => {
  await host?.stop()
})

test('shows repository stats and finds messages in several languages', async ({ page }) => {
  await page.goto(host.url)
  await page.getByRole('button', { name: 'Usage' }).click()
  const stats = page.getByTestId('usage-dashboard')
  await expect(stats).toHaveAttribute('data-state', 'ready')
  await expect(page.getByTestId('total-conversations')).toHaveText('3')
  await expect(page.getByTestId('total-messages')).toHaveText('4')
  await page.screenshot({ path: 'test-results/screenshots/statistics.png', fullPage: true })
  // The launch token leaves the address bar once the page has it.
  expect(new URL(page.url()).searchParams.has('token')).toBe(false)

  // Ctrl+K opens search from anywhere.
  await page.keyboard.press('Control+k')
  const search = page.getByLabel('Search conversations')
  await search.fill('"connection pool"')
  const results = page.getByTestId('search-results')
  await expect(results.locator('mark').first()).toHaveText(/connection pool/i)

  await search.fill('eleve cafe')
  await expect(results.locator('mark')).toHaveText(['élève', 'café'])

  await search.fill('连接池')
  await expect(results.locator('mark').first()).toHaveText('连接池')
  await page.screenshot({ path: 'test-results/screenshots/search.png', fullPage: true })
})

test('a malformed query gets a clear message, not a failure', async ({ page }) => {
  await page.goto(host.url)
  await page.getByRole('button', { name: 'Search' }).click()
  const search = page.getByLabel('Search conversations')
  // Bad input: a filter with an invalid date.
  await search.fill('pool before:someday')
  await expect(page.getByTestId('search-error')).toContainText('before:someday is not a date')
  // Bad input: FTS operators and an unbalanced quote are searched literally.
  await search.fill('NEAR( pool "leak')
  await expect(page.getByTestId('search-empty')).toBeVisible()
})

test('the API refuses requests without the launch token or from another host', async ({ request }) => {
  // Bad input: no token.
  const anonymous = await request.post(`${host.origin}/api/stats`, { data: {} })
  expect(anonymous.status()).toBe(401)
  // Bad input: a DNS-rebinding style Host header.
  const rebound = await request.post(`${host.origin}/api/stats`, {
    data: {},
    headers: { Authorization: `Bearer ${host.token}`, Host: 'evil.example:80' },
  })
  expect(rebound.status()).toBe(403)
  // Bad input: a method outside the contract.
  const unknown = await request.post(`${host.origin}/api/deleteEverything`, {
    data: {},
    headers: { Authorization: `Bearer ${host.token}` },
  })
  expect(await unknown.json()).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } })
  // The page learns where its store syncs: this host's /sync, with a credential of its own (not the launch token,
  // which opens the API but speaks for no device at the hub).
  const session = await request.post(`${host.origin}/api/session`, {
    data: {},
    headers: { Authorization: `Bearer ${host.token}` },
  })
  const info = (await session.json()) as { value: { hub: { token: string } } }
  expect(info).toMatchObject({
    ok: true,
    value: { storeId: 'chronicle', hub: { url: `${host.origin.replace('http', 'ws')}/sync` } },
  })
  expect(info.value.hub.token).toMatch(/^[\w-]{32}$/)
  expect(info.value.hub.token).not.toBe(host.token)
  const page = await request.get(host.origin)
  expect(page.headers()['content-security-policy']).toContain("script-src 'self'")
})
