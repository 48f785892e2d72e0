/**
 * Scenario `usage`: the large corpus with each assistant response's usage, written twice (with usage and with it
 * stripped, to see what counting and pricing at write time costs an insert), then the usage queries timed as the
 * dashboard and `chronicle usage` ask them, a price change recomputed over every response, and ccusage's daily
 * report set beside ours on the same Claude Code files, and the dashboard's first paint and re-render in Chromium.
 */
import { sql } from 'kysely'
import { openRepository, type Repository } from '../../../src/main/repository/repository'
import { loadBundledPriceBook } from '../../../src/main/usage/price-book'
import { createTempDir } from '../../lib/temp-dir'
import { collectGarbage } from '../../lib/timing'
import type { Scenario, ScenarioContext, ScenarioOutput } from '../scenario'
import { compareWithCcusage } from './ccusage-peer'
import { writeDashboardLibrary } from './dashboard-library'
import { timeDashboard } from './dashboard-page'
import { insertBoth } from './insert-both'
import { timeQueries } from './query-timings'
import { timeRecompute } from './recompute'
import { usageTables } from './usage-tables'

export const QUERY_RUNS = 50

/** A repository whose close may be called again (the finally block closes whatever the run left open). */
function closingOnce(repo: Repository): Repository {
  let closing: Promise<void> | null = null
  return Object.assign(Object.create(repo) as Repository, { close: () => (closing ??= repo.close()) })
}

async function run(context: ScenarioContext): Promise<ScenarioOutput> {
  const dir = createTempDir('usage', context.keep)
  const prices = loadBundledPriceBook()
  const withUsage = closingOnce(openRepository({ dataDir: `${dir.path}/with-usage`, prices }))
  const withoutUsage = closingOnce(openRepository({ dataDir: `${dir.path}/without-usage`, prices }))
  try {
    const version = await sql<{ v: string }>`SELECT sqlite_version() AS v`.execute(withUsage.db)
    context.log(`usage: inserting ${context.conversations} conversations, with usage and without`)
    const insert = await insertBoth(withUsage, withoutUsage, context)
    await withoutUsage.close()
    const counts = await sql<{ usage: number; hourly: number }>`SELECT
      (SELECT count(*) FROM usage) AS usage, (SELECT count(*) FROM usage_hourly) AS hourly`.execute(
      withUsage.db,
    )
    const rows = { usage: counts.rows[0]?.usage ?? 0, hourly: counts.rows[0]?.hourly ?? 0 }
    await sql`PRAGMA optimize`.execute(withUsage.db)
    collectGarbage()
    context.log(`usage: ${rows.usage} responses in ${rows.hourly} rollup rows; timing the queries`)
    const queries = await timeQueries(withUsage, QUERY_RUNS)
    context.log('usage: recomputing costs after a price change')
    const recompute = await timeRecompute(withUsage)
    await withUsage.close()
    context.log('usage: ccusage beside ours on generated Claude Code files')
    const peer = await compareWithCcusage(context, dir.path)
    context.log('usage: the dashboard in Chromium (its library: every usage row, the first messages only)')
    const dashboardDir = `${dir.path}/dashboard/data`
    const dashboard = await timeDashboard(
      dashboardDir,
      await writeDashboardLibrary(dashboardDir, context),
      context,
    )
    const figures = { insert, rows, queries, queryRuns: QUERY_RUNS, recompute, peer, dashboard }
    return { sqliteVersion: version.rows[0]?.v ?? 'unknown', figures, tables: usageTables(figures) }
  } finally {
    await withUsage.close()
    await withoutUsage.close()
    context.log(`usage: ${dir.dispose()}`)
  }
}

export const usageScenario: Scenario = {
  name: 'usage',
  summary:
    'usage queries (daily to blocks), insert with usage vs without, price recompute, ccusage beside ours',
  defaultSize: 'large',
  run,
}
