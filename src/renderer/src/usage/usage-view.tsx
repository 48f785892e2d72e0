/**
 * The usage dashboard: cost or tokens per day, week or month, stacked by a dimension; what caching saved; the
 * costliest conversations and workspaces; Claude's 5-hour windows. The list's filters apply (one library view per
 * window). The figures come from the main side's hourly rollup; the page's store says when to ask again.
 *
 * Measured in the page: `usage first paint` (the view opened to the figures painted) and `usage filter render`
 * (a filter or control changed to the new figures painted), as performance measures (see usePaintMeasures).
 */
import { memo, useCallback, useEffect, useMemo, useState } from 'react'
import type { ChronicleApi } from '../../../shared/api/contract'
import type { ListFilters } from '../../../shared/livestore/library-view'
import { libraryView } from '../../../shared/livestore/schema'
import type { UsageDimension, UsagePeriod } from '../../../shared/usage/usage-report'
import { filterChoices$ } from '../conversations/conversation-query'
import { NOT_COUNTED_YET } from '../conversations/menu-options'
import { conversationsChanged$, useIdleQuery } from '../livestore/use-idle-query'
import { formatSource } from '../format'
import { useChronicleStore } from '../livestore/chronicle-store'
import { BillingBlocks } from './billing-blocks'
import { UsageChartPanel } from './usage-chart-panel'
import { type UsageMetric } from './usage-figures'
import { UsageFilters } from './usage-filters'
import { libraryChange$ } from './usage-queries'
import { UsageRankingsPanel } from './usage-rankings'
import { UsageSummary } from './usage-summary'
import { useMinuteClock, type PaintMeasures } from './use-paint-measures'
import { useUsageReport, type UsageArgs } from './use-usage-report'
import './usage.css'

const PERIODS: readonly [UsagePeriod, string][] = [
  ['day', 'Day'],
  ['week', 'Week'],
  ['month', 'Month'],
]
const METRICS: readonly [UsageMetric, string][] = [
  ['cost', 'Cost'],
  ['tokens', 'Tokens'],
]
const DIMENSIONS: readonly [UsageDimension | '', string][] = [
  ['', 'Nothing'],
  ['model', 'Model'],
  ['source', 'Source'],
  ['workspace', 'Workspace'],
  ['device', 'Device'],
]
/** Sources whose logs carry no token counts: their conversations are in the library, not in these figures. */
const WITHOUT_TOKENS = ['chatgpt']

export const toUsageFilter = (f: ListFilters): UsageArgs['filter'] => ({
  shelf: f.shelf,
  ...(f.source !== null && { source: f.source }),
  ...(f.workspace !== null && { workspace: f.workspace }),
  ...(f.model !== null && { model: f.model }),
  ...(f.deviceId !== null && { deviceId: f.deviceId }),
  ...(f.since !== null && { since: f.since }),
  ...(f.until !== null && { until: f.until }),
})

export const UsageView = memo(function UsageView({
  api,
  onOpenConversation,
  onOpenWorkspace,
  measures,
}: {
  readonly api: ChronicleApi
  readonly onOpenConversation: (id: string) => void
  readonly onOpenWorkspace: (workspace: string) => void
  /** Started when the view opened (lazy-usage-view.tsx). */
  readonly measures: PaintMeasures
}) {
  const store = useChronicleStore()
  const [{ filters: stored }, setView] = store.useClientDocument(libraryView)
  // The dashboard asks with a new filter at once, and writes it to the library view (kept by the store, shared
  // with the list) once its figures are painted: the store's commit re-answers the list's queries, about 60 ms of
  // main thread that would otherwise sit between the answer and its paint.
  const [shown, setShown] = useState({ filters: stored, from: stored })
  if (shown.from !== stored) setShown({ filters: stored, from: stored })
  const filters = shown.filters
  const storeWrite = useStoreWriteAfterPaint(setView)
  const setFilters = useCallback(
    (next: ListFilters) => {
      // Choosing the value already chosen asks nothing, and so paints nothing to measure.
      if (JSON.stringify(next) === JSON.stringify(shown.filters)) return
      measures.changed()
      setShown((now) => ({ filters: next, from: now.from }))
      storeWrite.later(next)
    },
    [storeWrite, measures, shown.filters],
  )
  const painted = useCallback(() => {
    measures.painted()
    storeWrite.now()
  }, [measures, storeWrite])
  const [period, setPeriod] = useState<UsagePeriod>('day')
  const [by, setBy] = useState<UsageDimension | ''>('model')
  const [metric, setMetric] = useState<UsageMetric>('cost')
  const [tablesShown, setTablesShown] = useState(false)
  const library = store.useQuery(libraryChange$)[0]
  const sources = useIdleQuery(filterChoices$, conversationsChanged$, NOT_COUNTED_YET).value.filter(
    (c) => c.kind === 'source',
  )
  const args = useMemo<UsageArgs>(
    () => ({
      period,
      ...(by !== '' && { by }),
      filter: toUsageFilter(filters),
      utcOffsetMinutes: -new Date().getTimezoneOffset(),
    }),
    [period, by, filters],
  )
  // Asks again each minute as well: the current 5-hour window closes and its time left moves without any import.
  const now = useMinuteClock()
  const report = useUsageReport(api, args, `${library?.signal ?? ''}:${Math.floor(now / 60_000)}`)
  const silent = sources.filter(
    (s) => WITHOUT_TOKENS.includes(s.value) && (filters.source === null || filters.source === s.value),
  )

  return (
    <section
      className="usage-view"
      aria-label="Usage"
      data-testid="usage-dashboard"
      data-state={report.status === 'done' ? (report.fresh ? 'ready' : 'updating') : report.status}
    >
      <div className="usage-controls">
        <h2>Usage</h2>
        <Segments
          label="Period"
          choices={PERIODS}
          value={period}
          onChange={(next) => {
            measures.changed()
            setPeriod(next)
          }}
        />
        <Segments
          label="Show"
          choices={METRICS}
          value={metric}
          onChange={(next) => {
            measures.changed()
            setMetric(next)
          }}
        />
        <label className="filter">
          Stack by
          <select
            value={by}
            onChange={(e) => {
              measures.changed()
              setBy(e.target.value as UsageDimension | '')
            }}
          >
            {DIMENSIONS.map(([id, label]) => (
              <option key={id} value={id}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" aria-pressed={tablesShown} onClick={() => setTablesShown(!tablesShown)}>
          {tablesShown ? 'Hide tables' : 'Show tables'}
        </button>
      </div>
      <UsageFilters filters={filters} onFilters={setFilters} />
      {report.status === 'failed' && <p role="alert">Could not load usage: {report.error.message}</p>}
      {report.status === 'loading' && <p className="muted">Loading usage…</p>}
      {report.status === 'done' && (
        <>
          <UsageSummary
            totals={report.report.series.totals}
            conversations={library?.conversations ?? 0}
            messages={library?.messages ?? 0}
          />
          {silent.map((s) => (
            <p key={s.value} className="muted" data-testid="usage-no-token-data">
              {formatSource(s.value)}: no token data. Its exports carry no token counts, so its {s.n}{' '}
              conversations are not in these figures.
            </p>
          ))}
          <UsageChartPanel
            series={report.report.series}
            metric={metric}
            tablesShown={tablesShown}
            onDrawn={painted}
          />
          <UsageRankingsPanel
            rankings={report.report.rankings}
            onOpenConversation={onOpenConversation}
            onOpenWorkspace={onOpenWorkspace}
          />
          <BillingBlocks blocks={report.report.blocks} now={now} />
          <p className="muted usage-prices" data-testid="usage-prices">
            {report.report.prices
              ? `Costs computed with the price table of ${report.report.prices.date} (${report.report.prices.source}); costs a tool logged itself (Roo, Cline) are kept as logged.`
              : 'Costs a tool logged itself are kept as logged; the others come from the bundled price table.'}
          </p>
        </>
      )}
    </section>
  )
})

/** Buttons of which one is pressed: a choice seen whole, one Tab stop each. */
function Segments<T extends string>({
  label,
  choices,
  value,
  onChange,
}: {
  readonly label: string
  readonly choices: readonly [T, string][]
  readonly value: T
  readonly onChange: (next: T) => void
}) {
  return (
    <div role="group" aria-label={label} className="usage-segments">
      {choices.map(([id, text]) => (
        <button key={id} type="button" aria-pressed={value === id} onClick={() => onChange(id)}>
          {text}
        </button>
      ))}
    </div>
  )
}

/**
 * A filter written to the store after the next paint, or after a second at the latest (an answer that fails
 * draws nothing), and on leaving the view.
 */
function useStoreWriteAfterPaint(setView: (patch: { filters: ListFilters }) => void) {
  const [writer] = useState(() => {
    let pending: ListFilters | null = null
    let timer: ReturnType<typeof setTimeout> | undefined
    const flush = () => {
      clearTimeout(timer)
      if (pending !== null) setView({ filters: pending })
      pending = null
    }
    return {
      later(next: ListFilters) {
        pending = next
        clearTimeout(timer)
        timer = setTimeout(flush, 1_000)
      },
      now: () => {
        if (pending !== null) requestAnimationFrame(() => setTimeout(flush, 0))
      },
      flush,
    }
  })
  useEffect(() => writer.flush, [writer])
  return writer
}
