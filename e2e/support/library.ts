import { expect, type Page } from '@playwright/test'
import { chronicle, SAMPLE_SOURCES } from './chronicle-cli'
import type { RunningHost } from './web-host-process'

/**
 * Opens the empty app, then imports the real sample files from another process; the bridge, the hub and the
 * page's store bring them to the list. Returns how many conversations the import added.
 */
export async function importSamples(page: Page, host: RunningHost): Promise<number> {
  await page.goto(host.url)
  // The page's first open boots its store (WebAssembly SQLite, the first pull from the hub): seconds on a loaded
  // 2-core machine, where the default 5 s made whole specs fail before they began.
  await expect(page.getByTestId('empty-list')).toContainText('No conversations yet', { timeout: 30_000 })
  const summary = JSON.parse(
    chronicle(['import', ...SAMPLE_SOURCES, '--json', '--data-dir', host.dataDir]),
  ) as {
    conversations: { added: number }
  }
  // Counted by the toolbar, not by rows drawn: sub-agents are drawn under their parents, and only when expanded.
  await expect(page.getByTestId('shown-count')).toHaveText(String(summary.conversations.added), {
    timeout: 20_000,
  })
  await expect(page.getByTestId('conversation-row').first()).toBeVisible()
  return summary.conversations.added
}

type DebugStores = { __debugLiveStore?: Record<string, { syncStatus(): { pendingCount: number } }> }

/**
 * Reloads once the page's store has handed every commit to its leader, which persists it. A reload in the same
 * millisecond as a click would otherwise test how fast the click's commit crosses to the leader's worker, not
 * whether the view survives a reload (LiveStore exposes its stores on `__debugLiveStore`).
 */
export async function reloadWhenPersisted(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    Object.values((globalThis as DebugStores).__debugLiveStore ?? {}).every(
      (store) => store.syncStatus().pendingCount === 0,
    ),
  )
  await page.reload()
}
