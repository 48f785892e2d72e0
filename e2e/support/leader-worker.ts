/**
 * The page's LiveStore leader worker, reached from a test or the bench to make what a killed window leaves behind
 * with the leader's own database handles.
 */
import type { Page } from '@playwright/test'

/**
 * Runs `body` in the page's LiveStore leader worker, where LiveStore 0.4 keeps its context for debugging. The page
 * may have had more than one such worker (one that lost the leader lock, one from before a reload), so the one
 * that holds the context is looked for, for a while: it sets it once the leader has booted.
 */
export async function inLeader(page: Page, body: string): Promise<unknown> {
  const deadline = Date.now() + 30_000
  for (;;) {
    for (const worker of page.workers().filter((w) => w.url().includes('livestore.worker'))) {
      const booted = await worker.evaluate('globalThis.__leaderThreadCtx !== undefined').catch(() => false)
      if (booted) return worker.evaluate(`(() => { const ctx = globalThis.__leaderThreadCtx; ${body} })()`)
    }
    if (Date.now() > deadline) throw new Error("none of the page's workers holds LiveStore's leader context")
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/**
 * Leaves the store as a window closed in the middle of a pull does: the backend's head and the state have the last
 * `count` events, the eventlog does not. Returns the backend's head.
 */
export async function tearLastPull(page: Page, count: number): Promise<number> {
  return (await inLeader(
    page,
    `const head = ctx.dbEventlog.select('SELECT head FROM __livestore_sync_status')[0].head
     ctx.dbEventlog.execute('DELETE FROM eventlog WHERE seqNumGlobal > ' + (head - ${Math.trunc(count)}))
     return head`,
  )) as number
}
