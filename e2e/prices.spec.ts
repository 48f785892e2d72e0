import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { emptyDataDir, startWebHost, type RunningHost } from './support/web-host-process'

let host: RunningHost
let home: string

test.beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'chronicle-home-'))
  host = await startWebHost(emptyDataDir(), { HOME: home, XDG_CONFIG_HOME: join(home, '.config') })
})

test.afterEach(async () => {
  await host?.stop()
})

test('see the bundled price table, refuse a bad price file inline, use a good one, and go back', async ({
  page,
}) => {
  await page.goto(host.url)
  await page.getByRole('button', { name: 'Settings' }).click()
  const section = page.getByTestId('prices-section')
  await expect(section.getByTestId('prices-table')).toContainText('the bundled price table')
  await expect(section.getByTestId('prices-table')).toContainText('2026-12-03')

  // Bad input: an error page saved under the price file's name.
  const bad = join(home, 'bad.json')
  writeFileSync(bad, '<html>502 Bad Gateway</html>')
  const path = section.getByLabel('Price file path')
  await path.fill(bad)
  await section.getByRole('button', { name: 'Use this price file' }).click()
  await expect(section.getByRole('alert')).toContainText(`${bad}: not a JSON file`)
  await expect(section.getByTestId('prices-table')).toContainText('the bundled price table')

  const good = join(home, 'model_prices_and_context_window.json')
  writeFileSync(
    good,
    JSON.stringify({ 'claude-opus-4-6': { input_cost_per_token: 1e-5, output_cost_per_token: 5e-5 } }),
  )
  await path.fill(good)
  await section.getByRole('button', { name: 'Use this price file' }).click()
  await expect(section.getByTestId('prices-table')).toContainText('the price file you chose')
  await expect(section.getByTestId('prices-table')).toContainText(good)
  await expect(section.getByRole('status')).toContainText('Costs recomputed')

  await section.getByRole('button', { name: 'Back to the bundled prices' }).click()
  await expect(section.getByTestId('prices-table')).toContainText('the bundled price table')
  await expect(section.getByRole('button', { name: 'Back to the bundled prices' })).toHaveCount(0)
})
