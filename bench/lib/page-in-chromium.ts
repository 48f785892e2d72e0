/**
 * The real page in Debian Chromium against a running web host, as the page scenarios (`ui`, `usage`) drive it:
 * a persistent profile (the page's LiveStore stays in OPFS between launches, as on a desktop), the host's bridge
 * waited for, and the library opened until the list shows every conversation.
 */
import { chromium, type BrowserContext, type ConsoleMessage, type Page } from '@playwright/test'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunningHost } from '../../e2e/support/web-host-process'
import { buildRenderer } from '../../src/main/web-host/renderer-assets'

const CHROMIUM = process.env.CHRONICLE_CHROMIUM ?? '/usr/bin/chromium'

let pageBuild: Promise<void> | undefined

/**
 * Builds the page from this checkout, once per bench run, before a scenario serves it: `chronicle serve` serves
 * whatever out/renderer holds, and a build left there by an older checkout would be measured in place of the code.
 * `npm run bench` runs from the package's folder, as the scenarios' `bin/chronicle.js` assumes.
 */
export function buildPage(log: (line: string) => void): Promise<void> {
  pageBuild ??= (async () => {
    const started = performance.now()
    await buildRenderer(process.cwd(), log)
    log(`page built from this checkout in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  })()
  return pageBuild
}

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

const BASE_ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking']

/**
 * Chromium's own browser interface, which the desktop app's window does not have: headless Chromium still loads
 * the address bar's suggestion popup (a WebUI page with its own renderer) at every launch. On one core it took
 * about 350 ms of CPU (`/proc` stat, three launches), much of it while the page started, and so counted against
 * the page's cold start.
 */
const CHROMIUM_UI_FEATURES = ['PreloadTopChromeWebUI', 'WebUIOmniboxPopup', 'WebUIOmniboxAimPopup']

let defaultDisabledFeatures: Promise<string> | undefined

/**
 * The `--disable-features` switch Playwright passes. Chromium keeps only the last occurrence of a switch, so ours
 * must carry Playwright's list as well as its own: read from the command line of a browser Playwright launched.
 */
function playwrightDisabledFeatures(): Promise<string> {
  defaultDisabledFeatures ??= (async () => {
    const profile = mkdtempSync(join(tmpdir(), 'chronicle-bench-features-'))
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: BASE_ARGS,
    })
    try {
      const switchOf = browserCommandLine(profile).find((arg) => arg.startsWith('--disable-features='))
      if (switchOf === undefined) throw new Error('Playwright launched Chromium without --disable-features')
      return switchOf
    } finally {
      await browser.close()
      rmSync(profile, { recursive: true, force: true })
    }
  })()
  return defaultDisabledFeatures
}

/** The arguments of the browser process (not a renderer or helper) that runs on `profile`. */
function browserCommandLine(profile: string): string[] {
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
      if (args.includes(`--user-data-dir=${profile}`) && !args.some((arg) => arg.startsWith('--type=')))
        return args
    } catch {
      // The process ended while we looked.
    }
  }
  throw new Error(`no Chromium browser process found for ${profile}`)
}

export async function launchChromium(profile: string): Promise<BrowserContext> {
  const playwrightFeatures = await playwrightDisabledFeatures()
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    ignoreDefaultArgs: [playwrightFeatures],
    args: [...BASE_ARGS, `${playwrightFeatures},${CHROMIUM_UI_FEATURES.join(',')}`],
  })
}

/** Opens the library at `url` (after `initScript`, if any) and waits until the list counts `expected` rows. */
export async function openLibrary(
  context: BrowserContext,
  url: string,
  expected: number,
  initScript?: string,
  log?: (line: string) => void,
): Promise<Page> {
  const page = context.pages()[0] ?? (await context.newPage())
  if (initScript !== undefined) await page.addInitScript(initScript)
  if (log !== undefined) reportPageTrouble(page, log)
  await page.goto(url)
  await everyRowShown(page, expected)
  return page
}

/** Waits until the list counts `expected` rows. */
export async function everyRowShown(page: Page, expected: number): Promise<void> {
  await page
    .getByTestId('shown-count')
    .filter({ hasText: expected.toLocaleString('en-US') })
    .waitFor({ timeout: 600_000 })
}

/**
 * Passes on what the page and its workers warn of or fail at (a store repaired, a sync refused), with the time since
 * the listener was attached: an outlier in the figures is then explained in the run's log, not guessed at.
 */
function reportPageTrouble(page: Page, log: (line: string) => void): void {
  const since = performance.now()
  const at = () => `${((performance.now() - since) / 1000).toFixed(1)} s`
  const report = (where: string) => (message: ConsoleMessage) => {
    if (message.type() === 'error' || message.type() === 'warning')
      log(`${where} ${message.type()} at ${at()}: ${message.text().slice(0, 500)}`)
  }
  page.on('console', report('page'))
  // The store's leader runs in a worker of the page's: its repairs are said there.
  page.on('worker', (worker) => worker.on('console', report('worker')))
  // With the top of its stack: some say little more than their type ("Proxy(e)").
  page.on('pageerror', (error) => {
    const stack = (error.stack ?? '').split('\n').slice(1, 6).join(' | ')
    log(
      `page error at ${at()}: ${error.message.slice(0, 500)}${stack === '' ? '' : ` (${stack.slice(0, 800)})`}`,
    )
  })
}
