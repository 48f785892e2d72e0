/**
 * Bad input left by a closed window: LiveStore 0.4.0 writes the backend's head before the pulled events, so a
 * window closed between the two leaves the page's store with a head ahead of its eventlog (and the state with the
 * events applied), and its leader then refuses to start for good: stale list, "Offline" forever. The test makes
 * that state with the leader's own database handles, as the interrupted pull leaves it, and opens the page again.
 */
import { expect, test, type Page } from '@playwright/test'
import { seededDataDir, startWebHost, type RunningHost } from './support/web-host-process'

let host: RunningHost

test.beforeEach(async () => {
  host = await startWebHost(seededDataDir())
})

test.afterEach(async () => {
  await host?.stop()
})

/** Runs `body` in the page's LiveStore leader worker, where LiveStore 0.4 keeps its context for debugging. */
async function inLeader(page: Page, body: string): Promise<unknown> {
  const leader = page.workers().find((worker) => worker.url().includes('livestore.worker'))
  if (!leader) throw new Error('the page has no LiveStore leader worker')
  return leader.evaluate(`(() => { const ctx = globalThis.__leaderThreadCtx; ${body} })()`)
}

test('a page whose last pull was interrupted comes back synced, with nothing lost or applied twice', async ({
  page,
}) => {
  await page.goto(host.url)
  const indicator = page.getByTestId('sync-indicator')
  await expect(indicator).toHaveAttribute('data-state', 'synced', { timeout: 15_000 })
  const rows = page.getByTestId('conversation-row')
  const shown = (await page.getByTestId('shown-count').textContent()) ?? ''
  const counts = await page.getByTestId('message-count').allTextContents()
  expect(counts.length).toBeGreaterThan(0)

  // What the kill leaves: the head and the state have the last three events, the eventlog does not.
  const head = (await inLeader(
    page,
    `const head = ctx.dbEventlog.select('SELECT head FROM __livestore_sync_status')[0].head
     ctx.dbEventlog.execute('DELETE FROM eventlog WHERE seqNumGlobal > ' + (head - 3))
     return head`,
  )) as number
  expect(head).toBeGreaterThan(3)

  await page.reload()
  await expect(indicator).toHaveAttribute('data-state', 'synced', { timeout: 30_000 })
  await expect(page.getByTestId('shown-count')).toHaveText(shown)
  await expect(rows.first()).toBeVisible()
  // The three events were pulled again (the eventlog has them, and the presence events of the reload after them)
  // and applied once: the same message counts as before.
  await expect(page.getByTestId('message-count')).toHaveText(counts)
  expect(
    await inLeader(page, `return ctx.dbEventlog.select('SELECT max(seqNumGlobal) AS n FROM eventlog')[0].n`),
  ).toBeGreaterThanOrEqual(head)
})
