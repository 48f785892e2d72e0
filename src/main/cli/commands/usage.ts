/**
 * `chronicle usage [daily|weekly|monthly|session|blocks]`: ccusage's reports from Chronicle's repository, so its
 * users find the same rows and columns, counted from every source and with each streamed response's final
 * figures. Periods are the machine's local days at its current UTC offset.
 */
import type { UsageDimension, UsageFilter, UsagePeriod } from '../../../shared/usage/usage-report'
import { USAGE_DIMENSIONS } from '../../../shared/usage/usage-report'
import { billingBlocks, usageRankings, usageSeries } from '../../usage/usage-queries'
import { EXIT, UsageError, withRepository, type CommandContext } from '../command-context'
import { blocksReport, periodReport, sessionReport } from './usage-tables'

const REPORTS = ['daily', 'weekly', 'monthly', 'session', 'blocks'] as const
type Report = (typeof REPORTS)[number]
const PERIOD_OF: Record<'daily' | 'weekly' | 'monthly', UsagePeriod> = {
  daily: 'day',
  weekly: 'week',
  monthly: 'month',
}

/** Every conversation, for `session`: ccusage lists every session too. */
const ALL_SESSIONS = 10_000

function readReport(args: readonly string[]): Report {
  const [word = 'daily', extra] = args
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"; usage takes one report`)
  const report = REPORTS.find((r) => r === word)
  if (!report) throw new UsageError(`unknown report "${word}"; reports are ${REPORTS.join(', ')}`)
  return report
}

/** Local midnight of a day given as YYYY-MM-DD or YYYYMMDD (ccusage's form), `plusDays` later. */
function localDay(value: string, option: string, plusDays: number): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(value)
  const [year, month, day] = (match?.slice(1) ?? []).map(Number)
  if (year !== undefined && month !== undefined && day !== undefined) {
    const date = new Date(year, month - 1, day)
    if (date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day)
      return new Date(year, month - 1, day + plusDays).getTime()
  }
  throw new UsageError(`--${option} must be a day as YYYY-MM-DD or YYYYMMDD, not "${value}"`)
}

function readFilter(since: string | undefined, until: string | undefined): UsageFilter {
  const from = since === undefined ? null : localDay(since, 'since', 0)
  // --until names the last day counted.
  const to = until === undefined ? null : localDay(until, 'until', 1)
  if (from !== null && to !== null && from >= to)
    throw new UsageError(`--since ${since} is after --until ${until}`)
  return { since: from, until: to }
}

function readBy(value: string | undefined, report: Report): UsageDimension | null {
  if (value === undefined) return null
  if (report === 'session' || report === 'blocks')
    throw new UsageError(`--by is for daily, weekly and monthly, not ${report}`)
  const by = USAGE_DIMENSIONS.find((d) => d === value)
  if (!by) throw new UsageError(`--by must be one of ${USAGE_DIMENSIONS.join(', ')}, not "${value}"`)
  return by
}

export async function usageCommand(context: CommandContext): Promise<number> {
  const report = readReport(context.args)
  const filter = readFilter(context.options.since, context.options.until)
  const by = readBy(context.options.by, report)
  const utcOffsetMinutes = -new Date().getTimezoneOffset()
  const { json } = context.options
  const lines = await withRepository(context, async (repo) => {
    if (report === 'daily' || report === 'weekly' || report === 'monthly') {
      const period = PERIOD_OF[report]
      // Without --by each row lists its models, so the series is read per model and summed per period here.
      const series = await usageSeries(repo.db, { period, by: by ?? 'model', filter, utcOffsetMinutes })
      return periodReport(report, series, by === null, json)
    }
    if (report === 'session')
      return sessionReport(await usageRankings(repo.db, { filter, limit: ALL_SESSIONS }), json)
    const now = Date.now()
    return blocksReport(await billingBlocks(repo.db, { filter, now }), now, json)
  })
  for (const line of lines) context.output.out(line)
  return EXIT.ok
}
