import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { expect, test } from '@playwright/test'
import { seededDataDir, startWebHost, type RunningHost } from './support/web-host-process'

let host: RunningHost

test.beforeEach(async () => {
  host = await startWebHost(seededDataDir())
})

test.afterEach(async () => {
  await host?.stop()
})

test("the simulator's devices appear online, then offline, and the header says when all is synced", async ({
  page,
}) => {
  await page.goto(host.url)
  await expect(page.getByTestId('sync-indicator')).toHaveAttribute('data-state', 'synced', {
    timeout: 15_000,
  })
  await page.getByTestId('sync-indicator').click()
  const rows = page.getByTestId('device-row')
  // This device (the server) and this page are one device: online with its clients.
  await expect(rows.filter({ hasText: 'this device' })).toHaveAttribute('data-online', 'true')

  const simulate = spawn(
    process.execPath,
    // At one action a second, a simulated device rarely drops offline by itself (2% of actions).
    ['bin/chronicle.js', 'simulate', '--data-dir', host.dataDir, '--devices', '2', '--rate', '1'],
    { stdio: 'ignore' },
  )
  try {
    const simulated = rows.filter({ hasText: 'Simulated device' })
    await expect(simulated).toHaveCount(2, { timeout: 20_000 })
    await expect(
      page.locator('[data-testid="device-row"][data-online="true"]', { hasText: 'Simulated device' }),
    ).toHaveCount(2)
    await page.screenshot({ path: 'test-results/screenshots/devices.png', fullPage: true })
  } finally {
    simulate.kill('SIGTERM')
    await once(simulate, 'exit')
  }
  await expect(
    page.locator('[data-testid="device-row"][data-online="false"]', { hasText: 'Simulated device' }),
  ).toHaveCount(2, { timeout: 15_000 })
  await expect(rows.filter({ hasText: 'Simulated device' }).first()).toContainText('last seen')
})
