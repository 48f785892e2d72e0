/**
 * The usage dashboard in Chromium on the dashboard's library (dashboard-library.ts), as a user meets it:
 * - first paint: the view opened from the list, until its figures are painted, several times;
 * - re-render after a filter change: each of the dashboard's controls in turn (source, model, workspace,
 *   device, shelf, stack by, period, metric), set and set back, until the new figures are painted.
 * Both are the page's own performance measures (src/renderer/src/usage/use-paint-measures.ts), so they include
 * the question to the main side, the answer's transfer and parse, React, the chart's drawing and the browser's
 * paint.
 */
import type { Locator, Page } from '@playwright/test'
import { join } from 'node:path'
import { startWebHost } from '../../../e2e/support/web-host-process'
import { bridgeCaughtUp, buildPage, launchChromium, openLibrary } from '../../lib/page-in-chromium'
import { summarize, type LatencySummary } from '../../lib/stats'
import type { ScenarioContext } from '../scenario'
import type { DashboardLibrary } from './dashboard-library'

const OPENS = 12
/** Each control is changed and changed back this many times. */
const ROUNDS = 3
const FIRST_PAINT = 'usage first paint'
const FILTER_RENDER = 'usage filter render'
const ANSWER = 'usage answer'

export interface DashboardFigures {
  readonly library: DashboardLibrary
  readonly bridgeSeconds: number
  readonly firstSyncSeconds: number
  readonly firstPaint: LatencySummary
  readonly filterRender: LatencySummary
  /** The main side's answers in those (its queries, the transfer and the page's parse). */
  readonly answers: LatencySummary
  /** The slowest control's median, to say where the time goes. */
  readonly byControl: Record<string, LatencySummary>
}

const measureCount = (page: Page, name: string) =>
  page.evaluate((n) => performance.getEntriesByName(n).length, name)
const measures = (page: Page, name: string) =>
  page.evaluate((n) => performance.getEntriesByName(n).map((e) => e.duration), name)

/**
 * The page at rest: its main thread idle (the work a change leaves for later, such as writing the filter to the
 * store once the figures are painted, is done), as it is when a user's next click comes.
 */
const settled = (page: Page) =>
  page.evaluate('new Promise((resolve) => requestIdleCallback(() => resolve(null), { timeout: 2000 }))')

/** Runs `act` on the settled page, then waits for one more `name` measure; returns its duration. */
async function measured(page: Page, name: string, act: () => Promise<void>): Promise<number> {
  await settled(page)
  const before = await measureCount(page, name)
  await act()
  await page.waitForFunction(
    ([n, count]) => performance.getEntriesByName(n).length > count,
    [name, before] as const,
    {
      timeout: 60_000,
    },
  )
  const all = await measures(page, name)
  return all[all.length - 1] ?? Number.NaN
}

/** The value of a select's first real choice (after "Any …"). */
async function firstChoice(select: Locator): Promise<string> {
  const values = await select
    .locator('option')
    .evaluateAll((options) => options.map((o) => o.getAttribute('value') ?? '').filter((v) => v !== ''))
  const value = values[0]
  if (value === undefined) throw new Error('a filter offers no choice')
  return value
}

/** Opens the dashboard OPENS times from the list, then changes each control ROUNDS times and back. */
export async function measureDashboard(
  page: Page,
  context: Pick<ScenarioContext, 'log'>,
): Promise<{ firstPaints: number[]; byControl: Record<string, number[]>; answers: number[] }> {
  const views = page.getByRole('navigation', { name: 'Views' })
  const dashboard = page.getByTestId('usage-dashboard')
  const firstPaints: number[] = []
  for (let i = 0; i < OPENS; i++) {
    await views.getByRole('button', { name: 'Conversations' }).click()
    await page.getByTestId('conversation-row').first().waitFor()
    firstPaints.push(
      await measured(page, FIRST_PAINT, () => views.getByRole('button', { name: 'Usage' }).click()),
    )
  }
  context.log(`usage: the dashboard opened ${OPENS} times; changing its filters`)
  const select = (label: string) => dashboard.getByLabel(label, { exact: true })
  const button = (group: string, name: string) =>
    dashboard.getByRole('group', { name: group }).getByRole('button', { name })
  const controls: [string, () => Promise<void>, () => Promise<void>][] = []
  for (const label of ['Source', 'Model', 'Workspace', 'Device']) {
    const value = await firstChoice(select(label))
    controls.push([
      label.toLowerCase(),
      () =>
        select(label)
          .selectOption(value)
          .then(() => undefined),
      () =>
        select(label)
          .selectOption('')
          .then(() => undefined),
    ])
  }
  controls.push(
    [
      'shelf',
      () =>
        select('Shelf')
          .selectOption('starred')
          .then(() => undefined),
      () =>
        select('Shelf')
          .selectOption('all')
          .then(() => undefined),
    ],
    [
      'stack by',
      () =>
        dashboard
          .getByLabel('Stack by')
          .selectOption('workspace')
          .then(() => undefined),
      () =>
        dashboard
          .getByLabel('Stack by')
          .selectOption('model')
          .then(() => undefined),
    ],
    ['period', () => button('Period', 'Week').click(), () => button('Period', 'Day').click()],
    ['metric', () => button('Show', 'Tokens').click(), () => button('Show', 'Cost').click()],
  )
  const byControl: Record<string, number[]> = {}
  for (let round = 0; round < ROUNDS; round++)
    for (const [name, set, reset] of controls) {
      const samples = (byControl[name] ??= [])
      samples.push(await measured(page, FILTER_RENDER, set))
      samples.push(await measured(page, FILTER_RENDER, reset))
    }
  // Every answer of the main side while the dashboard was opened and changed (transfer and parse included).
  return { firstPaints, byControl, answers: await measures(page, ANSWER) }
}

export async function timeDashboard(
  dataDir: string,
  library: DashboardLibrary,
  context: ScenarioContext,
): Promise<DashboardFigures> {
  await buildPage(context.log)
  const host = await startWebHost(dataDir)
  try {
    const bridgeMs = await bridgeCaughtUp(host)
    context.log(
      `usage: the bridge made the dashboard's library into events in ${(bridgeMs / 1000).toFixed(1)} s`,
    )
    const syncStarted = performance.now()
    const browser = await launchChromium(join(dataDir, '..', 'profile'))
    try {
      const page = await openLibrary(browser, host.url, library.conversations)
      const firstSyncMs = performance.now() - syncStarted
      const { firstPaints, byControl, answers } = await measureDashboard(page, context)
      const all = Object.values(byControl).flat()
      return {
        library,
        bridgeSeconds: Math.round(bridgeMs / 100) / 10,
        firstSyncSeconds: Math.round(firstSyncMs / 100) / 10,
        firstPaint: summarize(firstPaints),
        filterRender: summarize(all),
        answers: summarize(answers),
        byControl: Object.fromEntries(Object.entries(byControl).map(([k, v]) => [k, summarize(v)])),
      }
    } finally {
      await browser.close()
    }
  } finally {
    await host.stop({ keepData: context.keep })
  }
}
