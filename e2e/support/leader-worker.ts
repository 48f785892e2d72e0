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
 * Leaves the store as a window closed in the middle of a pull does. LiveStore commits each pulled batch to the state
 * and then to the eventlog, and keeps the state's changesets of the last batch only; a kill between the two commits
 * leaves that batch, or the part of it at the top, in the state and not in the eventlog. So the tear is the top of
 * that batch, `count` events at most (the batch starts at the lowest changeset the state keeps): a fixed count could
 * span two batches, which no kill leaves. Returns the backend's head and how many events were torn (0: the state
 * keeps no changesets).
 *
 * The tear must be the last thing the leader did, as a kill's is: a pull after it (the hub's presence events for a
 * window that just connected) would trim the changesets and leave a hole in the eventlog that no kill leaves. So it
 * waits until the leader has pulled nothing for a while, and the caller closes or reloads the page at once after.
 */
export async function tearLastPull(page: Page, count: number): Promise<{ head: number; torn: number }> {
  await untilLeaderIsQuiet(page)
  return (await inLeader(
    page,
    `const head = ctx.dbEventlog.select('SELECT head FROM __livestore_sync_status')[0].head
     const low = ctx.dbState.select('SELECT min(seqNumGlobal) AS low FROM __livestore_session_changeset')[0].low
     const torn = low === null || low === undefined ? 0 : Math.max(0, Math.min(${Math.trunc(count)}, head - low + 1))
     ctx.dbEventlog.execute('DELETE FROM eventlog WHERE seqNumGlobal > ' + (head - torn))
     return { head, torn }`,
  )) as { head: number; torn: number }
}

/** How long the leader must have pulled and committed nothing before a tear, and how long to wait for that. */
const QUIET_MS = 1_500
const QUIET_TIMEOUT_MS = 30_000

async function untilLeaderIsQuiet(page: Page): Promise<void> {
  const deadline = Date.now() + QUIET_TIMEOUT_MS
  const mark = () =>
    inLeader(
      page,
      `return JSON.stringify(ctx.dbEventlog.select('SELECT (SELECT head FROM __livestore_sync_status) AS head, (SELECT count(*) FROM eventlog) AS n'))`,
    )
  let last = await mark()
  let since = Date.now()
  while (Date.now() - since < QUIET_MS) {
    if (Date.now() > deadline)
      throw new Error(`the page's leader kept pulling for ${QUIET_TIMEOUT_MS / 1000} s`)
    await new Promise((resolve) => setTimeout(resolve, 100))
    const now = await mark()
    if (now !== last) [last, since] = [now, Date.now()]
  }
}

/**
 * Damages the state database as a bad sector or a half-written file would: its schema no longer parses, so nothing
 * in it can be read. The eventlog is left whole, so the state can be rebuilt from it.
 */
export async function damageStateDatabase(page: Page): Promise<void> {
  await inLeader(
    page,
    `ctx.dbState.execute('PRAGMA writable_schema=ON')
     ctx.dbState.execute("UPDATE sqlite_master SET sql = 'CREATE TABLE conversations(' WHERE name = 'conversations'")`,
  )
}
