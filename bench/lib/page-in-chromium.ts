/**
 * The real page in Debian Chromium against a running web host, as the page scenarios (`ui`, `usage`) drive it:
 * a persistent profile (the page's LiveStore stays in OPFS between launches, as on a desktop), the host's bridge
 * waited for, and the library opened until the list shows every conversation.
 */
import { chromium, type BrowserContext, type Page } from '@playwright/test'
import type { RunningHost } from '../../e2e/support/web-host-process'

const CHROMIUM = process.env.CHRONICLE_CHROMIUM ?? '/usr/bin/chromium'

/** Waits until the web host's bridge has made every change of the repository into events; returns how long. */
export async function bridgeCaughtUp(host: RunningHost): Promise<number> {
  const started = performance.now()
  for (;;) {
    const response = await fetch(`${host.origin}/api/syncStatus`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' },
      body: '{}',
    })
    const status = (await response.json()) as { ok: boolean; value?: { repositoryBacklog: number } }
    if (status.ok && status.value?.repositoryBacklog === 0) return performance.now() - started
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}

export const launchChromium = (profile: string): Promise<BrowserContext> =>
  chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  })

/** Opens the library at `url` (after `initScript`, if any) and waits until the list counts `expected` rows. */
export async function openLibrary(
  context: BrowserContext,
  url: string,
  expected: number,
  initScript?: string,
): Promise<Page> {
  const page = context.pages()[0] ?? (await context.newPage())
  if (initScript !== undefined) await page.addInitScript(initScript)
  await page.goto(url)
  await page
    .getByTestId('shown-count')
    .filter({ hasText: expected.toLocaleString('en-US') })
    .waitFor({ timeout: 600_000 })
  return page
}
