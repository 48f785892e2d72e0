/**
 * The page's LiveStore leader worker, reached from a test or the bench to make what a killed window leaves behind
 * with the leader's own database handles.
 */
import type { Page } from '@playwright/test'

/** Runs `body` in the page's LiveStore leader worker, where LiveStore 0.4 keeps its context for debugging. */
export async function inLeader(page: Page, body: string): Promise<unknown> {
  const leader = page.workers().find((worker) => worker.url().includes('livestore.worker'))
  if (!leader) throw new Error('the page has no LiveStore leader worker')
  return leader.evaluate(`(() => { const ctx = globalThis.__leaderThreadCtx; ${body} })()`)
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
