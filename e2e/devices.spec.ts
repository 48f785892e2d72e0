import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { connectRaw, outcomeOf } from '../src/main/hub/test-support/raw-sync-client'
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

test('a program that pushes what it may not say is shown refused, with the reason, as are wrong credentials', async ({
  page,
}) => {
  await page.goto(host.url)
  await expect(page.getByTestId('sync-indicator')).toHaveAttribute('data-state', 'synced', {
    timeout: 15_000,
  })
  const hub = JSON.parse(readFileSync(join(host.dataDir, 'hub.json'), 'utf8')) as {
    url: string
    token: string
  }
  const self = JSON.parse(readFileSync(join(host.dataDir, 'device.json'), 'utf8')) as { id: string }
  // Bad input: a device program (it holds hub.json) that registers itself, then renames this machine's device.
  const rogue = await connectRaw(hub.url, {
    authToken: hub.token,
    deviceId: 'rogue-tool',
    deviceName: 'Rogue',
  })
  const meta = (deviceId: string) => ({ at: Date.now(), deviceId, actor: 'rogue', origin: 'sync' })
  const registered = {
    name: 'v1.DeviceRegistered',
    args: {
      ...meta('rogue-tool'),
      name: 'Rogue tool',
      kind: 'simulator',
      platform: 'linux',
      appVersion: '0',
    },
    clientId: 'rogue-tool',
  }
  // A push at sequence 1 is answered "server ahead" with the head to push after.
  const ahead = (await rogue.push('1', [registered], 0)).exit as {
    cause: { error: { minimumExpectedNum: number } }
  }
  const head = ahead.cause.error.minimumExpectedNum - 1
  expect(outcomeOf(await rogue.push('2', [registered], head))).toBe('success')
  const hijack = {
    name: 'v1.DeviceRenamed',
    args: { ...meta(self.id), name: 'Hijacked' },
    clientId: 'rogue-tool',
  }
  expect(outcomeOf(await rogue.push('3', [hijack], head + 1))).toMatch(/refused/)
  // Bad input: a connection with a made-up credential.
  await expect(connectRaw(hub.url, { authToken: 'guessed', deviceId: 'guesser' })).rejects.toThrow('401')

  await page.getByTestId('sync-indicator').click()
  const row = page.getByTestId('device-row').filter({ hasText: 'Rogue tool' })
  await expect(row.getByTestId('refused-pushes')).toContainText('1 push refused')
  await expect(row.getByTestId('refused-pushes')).toContainText(
    `speaks for device rogue-tool, not ${self.id}`,
  )
  await expect(page.getByTestId('refused-connections')).toContainText('guesser')
  await expect(page.getByTestId('device-row').filter({ hasText: 'this device' })).not.toContainText(
    'Hijacked',
  )
  await page.screenshot({ path: 'test-results/screenshots/devices-refused.png', fullPage: true })
  rogue.close()
})
