/**
 * A machine whose page already shows a library of its own joins another library (`chronicle sync join` merges
 * them, merge-on-join.ts): the real worker as `npm run sync-worker` runs it, the real `chronicle serve`, and the
 * page kept in the browser from before the join (the same origin, so the same OPFS copy). That copy is of the
 * eventlog the machine gave up; served again, the page must rebuild it and list both libraries, not freeze on the
 * old one.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { chronicle, SAMPLE_SOURCES } from './support/chronicle-cli'
import { startSyncWorker, type SyncWorkerProcess } from './support/sync-worker-process'
import { emptyDataDir, startWebHost, type RunningHost } from './support/web-host-process'

test.describe.configure({ timeout: 150_000 })

const persistTo = mkdtempSync(join(tmpdir(), 'chronicle-e2e-merge-worker-'))
const [ROO_TASKS, CLAUDE_PROJECTS] = SAMPLE_SOURCES
let worker: SyncWorkerProcess
let host: RunningHost | undefined

test.beforeAll(async () => {
  worker = await startSyncWorker(persistTo)
})
test.afterAll(async () => {
  await host?.stop()
  await worker?.stop()
  rmSync(persistTo, { recursive: true, force: true })
})

const imported = (dataDir: string, path: string | undefined) =>
  (
    JSON.parse(chronicle(['import', path ?? '', '--json', '--data-dir', dataDir])) as {
      conversations: { added: number }
    }
  ).conversations.added

test('the page of a machine that joins with its own library rebuilds its copy and lists both libraries', async ({
  page,
}) => {
  const first = emptyDataDir()
  const fromFirst = imported(first, ROO_TASKS)
  const { pairingCode } = JSON.parse(
    chronicle(['sync', 'setup', worker.url, '--json', '--data-dir', first]),
  ) as { pairingCode: string }
  rmSync(first, { recursive: true, force: true })

  const second = emptyDataDir()
  const own = imported(second, CLAUDE_PROJECTS)
  host = await startWebHost(second)
  await page.goto(host.url)
  await expect(page.getByTestId('shown-count')).toHaveText(String(own), { timeout: 30_000 })
  const origin = host.origin
  await host.stop({ keepData: true })

  const joined = JSON.parse(chronicle(['sync', 'join', pairingCode, '--json', '--data-dir', second])) as {
    merged: { conversations: number } | null
  }
  expect(joined.merged?.conversations).toBe(own)
  // Served again on the same port (serve keeps the last launch's), so the page keeps its OPFS copy.
  host = await startWebHost(second)
  expect(host.origin).toBe(origin)
  await page.goto(host.url)
  await expect(page.getByTestId('shown-count')).toHaveText(String(own + fromFirst), { timeout: 60_000 })
  await expect(page.getByTestId('sync-indicator')).toHaveAttribute('data-state', 'synced', {
    timeout: 60_000,
  })
  await page.screenshot({ path: 'test-results/screenshots/merge-on-join.png', fullPage: true })
})
