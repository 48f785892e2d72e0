/**
 * A cold start after damage the page's leader mends before LiveStore opens the store, timed from the launch until
 * the page that loaded after the repair draws every row.
 *
 * The repair is said on the worker's console, and the page then loads again (store-options.ts,
 * reloadWhenRepaired). Meanwhile LiveStore's fast path may already draw every row from the state as it is on disk:
 * on one core that happened before the repair's line in some runs, so the rows alone do not say the repair is done,
 * nor that the rows on screen are the repaired ones.
 */
import type { BrowserContext, Page } from '@playwright/test'
import { everyRowShown, openLibrary } from '../../lib/page-in-chromium'

/** How long the repair's line may come after the rows: a rebuild of a large state takes seconds. */
const REPAIR_LINE_WAIT_MS = 120_000

export interface RepairedStartOptions {
  readonly launch: () => Promise<BrowserContext>
  readonly url: string
  readonly rows: number
  readonly initScript: string
  /** Whether a console line of the page or its workers says the damage was mended the expected way. */
  readonly mends: (line: string) => boolean
  readonly log: (line: string) => void
}

/**
 * Launches the browser, damages the page's store with `damage`, closes it, then times a cold start until the
 * repaired page shows every row. Null if the start did not mend it the expected way (said in the log).
 */
export async function timeRepairedStart(
  name: string,
  damage: (page: Page) => Promise<void>,
  options: RepairedStartOptions,
): Promise<number | null> {
  const damaging = await options.launch()
  await damage(await openLibrary(damaging, options.url, options.rows))
  await damaging.close()

  const started = performance.now()
  const browser = await options.launch()
  try {
    const page = browser.pages()[0] ?? (await browser.newPage())
    let loads = 0
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) loads++
    })
    let loadsAtRepair: number | null = null
    await openLibrary(browser, options.url, options.rows, options.initScript, (line) => {
      if (loadsAtRepair === null && options.mends(line)) loadsAtRepair = loads
      options.log(`ui: cold start after ${name}: ${line}`)
    })
    const repairSaid = await within(REPAIR_LINE_WAIT_MS, () => loadsAtRepair !== null)
    // The load that follows the line is the repaired page's; its rows are the ones that count.
    const reloaded = repairSaid && (await within(REPAIR_LINE_WAIT_MS, () => loads > (loadsAtRepair ?? loads)))
    if (!reloaded) {
      options.log(`ui: the cold start after ${name} did not mend it as expected; not timed`)
      return null
    }
    await everyRowShown(page, options.rows)
    return performance.now() - started
  } finally {
    await browser.close()
  }
}

/** Whether `condition` became true within `ms`, looking every 20 ms. */
async function within(ms: number, condition: () => boolean): Promise<boolean> {
  const deadline = performance.now() + ms
  while (!condition()) {
    if (performance.now() > deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return true
}
