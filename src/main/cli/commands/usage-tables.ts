/**
 * `chronicle usage`'s reports as text tables in ccusage's columns (date, models, input, output, cache create,
 * cache read, total tokens, cost), numbers in the user's locale, or as one JSON document with ccusage's field names.
 * A row with responses the price table does not know says so ("unpriced") instead of counting them as $0.
 */
import {
  addFigures,
  NO_USAGE,
  totalTokens,
  type BillingBlock,
  type UsageFigures,
  type UsageRankings,
  type UsageSeries,
} from '../../../shared/usage/usage-report'
import { table } from '../terminal'

const numbers = new Intl.NumberFormat()
const dollars = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' })

const TOKEN_HEADERS = ['Input', 'Output', 'Cache Create', 'Cache Read', 'Total Tokens', 'Cost (USD)']

function costCell(f: UsageFigures): string {
  if (f.unpricedResponses === 0) return dollars.format(f.cost)
  if (f.unpricedResponses === f.responses) return 'unpriced'
  return `${dollars.format(f.cost)} + ${numbers.format(f.unpricedResponses)} unpriced`
}

const tokenCells = (f: UsageFigures): string[] => [
  ...[f.tokensIn, f.tokensOut, f.cacheWrites, f.cacheReads, totalTokens(f)].map((n) => numbers.format(n)),
  costCell(f),
]

/** ccusage's token fields, and ours beside them: the cost is null when no response of the row has a price. */
const tokenFields = (f: UsageFigures) => ({
  inputTokens: f.tokensIn,
  outputTokens: f.tokensOut,
  cacheCreationTokens: f.cacheWrites,
  cacheCreation1hTokens: f.cacheWrites1h,
  cacheReadTokens: f.cacheReads,
  totalTokens: totalTokens(f),
  totalCost: f.responses > 0 && f.unpricedResponses === f.responses ? null : f.cost,
  uncachedCost: f.uncachedCost,
  responses: f.responses,
  unpricedResponses: f.unpricedResponses,
})

/** Left-aligned label columns, then the right-aligned figures. */
function render(labels: readonly string[], rows: readonly (readonly string[])[]): string {
  const headers = [...labels, ...TOKEN_HEADERS]
  return table(
    headers,
    rows,
    headers.map((_, i) => i >= labels.length),
  )
}

const isoDay = (epochMs: number) => new Date(epochMs).toISOString().slice(0, 10)

const PERIOD_FIELD = { daily: 'date', weekly: 'week', monthly: 'month' } as const

/**
 * `series` is grouped by the --by dimension, or by model when `listModels`: then each period is one row that lists
 * its models.
 */
export function periodReport(
  report: 'daily' | 'weekly' | 'monthly',
  series: UsageSeries,
  listModels: boolean,
  json: boolean,
): string[] {
  const offsetMs = series.utcOffsetMinutes * 60_000
  const label = (start: number) => isoDay(start + offsetMs).slice(0, report === 'monthly' ? 7 : 10)
  const rows: { label: string; key: string; models: string[]; figures: UsageFigures }[] = []
  for (const bucket of series.buckets) {
    const last = rows.at(-1)
    const day = label(bucket.start)
    if (listModels && last?.label === day) {
      last.figures = addFigures(last.figures, bucket.figures)
      if (bucket.key !== '') last.models.push(bucket.key)
    } else {
      const models = series.by === 'model' && bucket.key !== '' ? [bucket.key] : []
      rows.push({ label: day, key: bucket.key, models, figures: bucket.figures })
    }
  }
  if (json) {
    const entries = rows.map((r) => ({
      [PERIOD_FIELD[report]]: r.label,
      ...(!listModels && { [series.by ?? 'key']: r.key }),
      models: r.models,
      ...tokenFields(r.figures),
    }))
    const document = {
      [report]: entries,
      totals: tokenFields(series.totals),
      by: listModels ? null : series.by,
      utcOffsetMinutes: series.utcOffsetMinutes,
    }
    return [JSON.stringify(document)]
  }
  if (rows.length === 0) return ['No usage in this range.']
  const second = listModels ? 'Models' : capitalised(series.by ?? 'key')
  const cells = rows.map((r) => [
    r.label,
    listModels ? r.models.join(', ') : r.key || '(none)',
    ...tokenCells(r.figures),
  ])
  return [
    render(
      [capitalised(PERIOD_FIELD[report]), second],
      [...cells, ['Total', '', ...tokenCells(series.totals)]],
    ),
  ]
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

export function sessionReport(rankings: UsageRankings, json: boolean): string[] {
  const totals = rankings.conversations.reduce((sum, c) => addFigures(sum, c.figures), NO_USAGE)
  if (json) {
    const sessions = rankings.conversations.map((c) => ({
      conversationId: c.id,
      title: c.title,
      source: c.source,
      workspace: c.workspace,
      ...tokenFields(c.figures),
    }))
    return [JSON.stringify({ sessions, totals: tokenFields(totals) })]
  }
  if (rankings.conversations.length === 0) return ['No usage in this range.']
  const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text)
  const cells = rankings.conversations.map((c) => [
    cut(c.title.replace(/\s+/g, ' '), 40),
    c.source,
    cut(c.workspace ?? '(none)', 30),
    ...tokenCells(c.figures),
  ])
  return [
    render(['Conversation', 'Source', 'Workspace'], [...cells, ['Total', '', '', ...tokenCells(totals)]]),
  ]
}

const pad = (n: number) => String(n).padStart(2, '0')
/** Local time as YYYY-MM-DD HH:MM. */
const localTime = (epochMs: number) => {
  const d = new Date(epochMs)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}
const hoursAndMinutes = (ms: number) => `${Math.floor(ms / 3_600_000)}h ${pad(Math.floor(ms / 60_000) % 60)}m`

export function blocksReport(blocks: readonly BillingBlock[], now: number, json: boolean): string[] {
  if (json) {
    const entries = blocks.map((b) => ({
      startTime: new Date(b.start).toISOString(),
      endTime: new Date(b.end).toISOString(),
      actualEndTime: b.figures.responses > 0 ? new Date(b.lastActivityAt).toISOString() : null,
      isActive: b.active,
      isGap: b.figures.responses === 0,
      models: b.models,
      ...tokenFields(b.figures),
      burnRate: b.burn && { tokensPerMinute: b.burn.tokensPerMinute, costPerHour: b.burn.costPerHour },
      projection: b.burn && {
        totalCost: b.burn.projectedCost,
        remainingMinutes: Math.max(0, Math.round((b.end - now) / 60_000)),
      },
    }))
    return [JSON.stringify({ blocks: entries })]
  }
  if (blocks.length === 0) return ['No Claude Code usage in this range.']
  const cells = blocks.map((b) =>
    b.figures.responses === 0
      ? [localTime(b.start), `gap of ${hoursAndMinutes(b.end - b.start)}`, '', '', '', '', '', '', '']
      : [
          localTime(b.start),
          b.active
            ? `ACTIVE, ${hoursAndMinutes(b.end - now)} left`
            : hoursAndMinutes(b.lastActivityAt - b.start),
          b.models.join(', '),
          ...tokenCells(b.figures),
        ],
  )
  const lines = [render(['Block Start', 'Duration', 'Models'], cells)]
  const active = blocks.find((b) => b.active)
  if (active?.burn)
    lines.push(
      '',
      `Active block: ${numbers.format(Math.round(active.burn.tokensPerMinute))} tokens/min, ` +
        `${dollars.format(active.burn.costPerHour)}/h; projected ${dollars.format(active.burn.projectedCost)} ` +
        `by ${localTime(active.end).slice(11)}`,
    )
  return lines
}
