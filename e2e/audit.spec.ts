import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { chronicle, SAMPLE_SOURCES } from './support/chronicle-cli'
import { readRepository } from './support/repository'
import { seededDataDir, startWebHost, type RunningHost } from './support/web-host-process'

let host: RunningHost
let exportDir: string

test.beforeAll(async () => {
  exportDir = mkdtempSync(join(tmpdir(), 'chronicle-e2e-exports-'))
  host = await startWebHost(seededDataDir(), { CHRONICLE_EXPORT_DIR: exportDir })
})

test.afterAll(async () => {
  await host?.stop()
  rmSync(exportDir, { recursive: true, force: true })
})

test('the audit trail shows every change, and its export verifies', async ({ page }) => {
  await page.goto(host.url)
  await page.getByRole('button', { name: 'Audit trail' }).click()
  const audit = page.getByTestId('audit')
  await expect(audit).toHaveAttribute('data-state', 'ready')
  // The seeded conversations reached the eventlog through the bridge, and this device registered itself.
  await expect(
    page.getByTestId('audit-row').filter({ hasText: 'Imported conversation' }).first(),
  ).toBeVisible()
  await expect(page.getByTestId('audit-row').filter({ hasText: 'Registered device' })).toHaveCount(1)

  // Live tail: another process imports the samples while the view is open; their events come in at the top.
  const before = await page.getByTestId('audit-row').first().locator('.num').textContent()
  chronicle(['import', SAMPLE_SOURCES[0] ?? '', '--data-dir', host.dataDir])
  await expect(page.getByTestId('audit-row').first().locator('.num')).not.toHaveText(before ?? '', {
    timeout: 15_000,
  })
  await expect(page.getByTestId('audit-row').first()).toContainText(/Imported|Appended|Finished/)

  // The details of an event: its data and its place in the chain.
  await page.getByTestId('audit-row').first().click()
  await expect(page.getByTestId('audit-detail')).toContainText('Chain hash')

  await page.getByLabel('Filter by action').selectOption('v1.DeviceRegistered')
  await expect(page.getByTestId('audit-row')).toHaveCount(1)
  await page.getByLabel('Filter by action').selectOption('')
  await page.screenshot({ path: 'test-results/screenshots/audit.png', fullPage: true })

  // The device's signing key was made when the app first ran (before any export), readable by the user alone.
  expect(statSync(join(host.dataDir, 'audit-signing-key.pem')).mode & 0o777).toBe(0o600)
  await page.getByRole('button', { name: 'Export…' }).click()
  await page.getByLabel('Export format').selectOption('csv')
  await page.getByRole('button', { name: 'Start export' }).click()
  await expect(page.getByTestId('export-done')).toContainText('Exported')
  await page.screenshot({ path: 'test-results/screenshots/audit-export.png', fullPage: true })

  const files = readdirSync(exportDir)
  const csv = files.find((f) => f.endsWith('.csv'))
  expect(csv).toBeDefined()
  expect(files).toContain(`${csv}.digest.json`)
  // Verified against the library, which knows whose key signed it.
  const verified = spawnSync(
    process.execPath,
    ['bin/chronicle.js', 'audit', 'verify', join(exportDir, csv ?? ''), '--data-dir', host.dataDir],
    { encoding: 'utf8' },
  )
  expect(verified.stdout).toContain('OK:')
  expect(verified.status).toBe(0)
  // Signed by this device's key.
  const key = spawnSync(process.execPath, ['bin/chronicle.js', 'audit', 'key', '--data-dir', host.dataDir], {
    encoding: 'utf8',
  })
  const fingerprint = key.stdout.split('\n')[0] ?? ''
  expect(verified.stdout).toContain(`Signature: holds (Ed25519, key ${fingerprint})`)
  // Elsewhere, with no library at hand, the auditor names the key they were given (bad input: no trust at all).
  const noLibrary = mkdtempSync(join(tmpdir(), 'chronicle-auditor-'))
  const elsewhere = [
    'bin/chronicle.js',
    'audit',
    'verify',
    join(exportDir, csv ?? ''),
    '--data-dir',
    noLibrary,
  ]
  const untrusted = spawnSync(process.execPath, elsewhere, { encoding: 'utf8' })
  expect(untrusted.status).toBe(1)
  expect(untrusted.stdout + untrusted.stderr).toContain('cannot be trusted')
  const named = spawnSync(process.execPath, [...elsewhere, '--fingerprint', fingerprint], {
    encoding: 'utf8',
  })
  expect(named.stdout).toContain('OK:')
})

test('an edit that a later one replaced is marked overridden, with what replaced it', async ({ page }) => {
  await page.goto(host.url)
  // Caught up, as a person who reads the list before editing it is: the page knows what it has seen.
  await expect(page.getByTestId('sync-indicator')).toHaveText(/Synced/)
  const first = page.getByTestId('conversation-row').first()
  await first.getByRole('button', { name: 'Star' }).click()
  await first.getByRole('button', { name: 'Unstar' }).click()
  await page.getByRole('button', { name: 'Audit trail' }).click()
  await page.getByLabel('Filter by action').selectOption('v1.ConversationStarred')
  const starred = page.getByTestId('audit-row').first()
  await expect(starred.getByTestId('audit-overridden')).toHaveText('overridden', { timeout: 15_000 })
  await starred.click()
  // The same device took its star back: a later edit, not a concurrent one.
  await expect(page.getByTestId('audit-override')).toHaveText(/^Overridden by the later #\d+ \(.+ on .+\)\.$/)
  // Each edit says what the page had seen of the library when it was made (the audit view's test of concurrency):
  // some of the library, never the edit itself or what came after it.
  const edits = readRepository(host.dataDir, (db) =>
    db
      .prepare(
        "SELECT seq, args FROM hub_events WHERE name IN ('v1.ConversationStarred', 'v1.ConversationUnstarred') ORDER BY seq",
      )
      .all(),
  ) as { seq: number; args: string }[]
  expect(edits).toHaveLength(2)
  const seen = edits.map(({ args }) => (JSON.parse(args) as { seen?: unknown }).seen)
  for (const [i, { seq }] of edits.entries()) {
    expect(Number.isInteger(seen[i])).toBe(true)
    expect(seen[i]).toBeGreaterThan(0)
    expect(seen[i]).toBeLessThan(seq)
  }
  expect(seen[1]).toBeGreaterThanOrEqual(seen[0] as number)
  await page.screenshot({ path: 'test-results/screenshots/audit-overridden.png', fullPage: true })
})
