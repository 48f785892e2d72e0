import { useLayoutEffect, useMemo, useState, type KeyboardEvent } from 'react'
import type { UsageChartSeries } from '../../../shared/usage/usage-report'
import { keyColour, UsageChart } from './usage-chart'
import { costLabel, formatCompact, stackColumns, type UsageMetric } from './usage-figures'
import { formatPeriod, UsageTable } from './usage-table'

const PER: Record<UsageChartSeries['period'], string> = { day: 'day', week: 'week', month: 'month' }

/** The chart with its readout (the period under the pointer, else the latest), its legend and its table. */
export function UsageChartPanel({
  series,
  metric,
  tablesShown,
  onDrawn,
}: {
  readonly series: UsageChartSeries
  readonly metric: UsageMetric
  readonly tablesShown: boolean
  readonly onDrawn: () => void
}) {
  const columns = useMemo(() => stackColumns(series, metric), [series, metric])
  const [hovered, setHovered] = useState<number | null>(null)
  const empty = columns.starts.length === 0
  // With nothing to draw, the empty state is what paints.
  useLayoutEffect(() => {
    if (empty) onDrawn()
  }, [empty, columns, onDrawn])
  const what = metric === 'cost' ? 'Cost' : 'Tokens'
  const label = `${what} per ${PER[series.period]}${series.by ? `, stacked by ${series.by}` : ''}`
  if (empty) return <p className="muted usage-empty">No usage in these filters.</p>
  const last = columns.starts.length - 1
  const at = Math.min(hovered ?? last, last)
  // The keyboard walks the periods as the pointer does: arrows, Home and End.
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const next = { ArrowLeft: at - 1, ArrowRight: at + 1, Home: 0, End: last }[event.key]
    if (next === undefined) return
    event.preventDefault()
    setHovered(Math.max(0, Math.min(last, next)))
  }
  const total = columns.totals[at] ?? 0
  return (
    <figure
      className="usage-chart-panel"
      tabIndex={0}
      aria-label={`${label}: arrow keys move between periods`}
      onKeyDown={onKeyDown}
    >
      <figcaption>
        <strong>{label}</strong>
        <span className="usage-readout" aria-live="polite" data-testid="usage-readout">
          {formatPeriod(columns.starts[at] ?? 0, series.period)}:{' '}
          {metric === 'cost' ? costLabel(total, columns.unpriced[at] ?? 0) : formatCompact(total)}
        </span>
      </figcaption>
      <UsageChart
        columns={columns}
        metric={metric}
        period={series.period}
        label={`${label}; Show tables lists the figures.`}
        onHover={setHovered}
        onDrawn={onDrawn}
      />
      {columns.keys.length > 1 && (
        <ul className="usage-legend" aria-label="Legend, with each key's sum over the chart">
          {columns.keys.map((key, k) => (
            <li key={key}>
              <span className="usage-swatch" style={{ background: keyColour(key, k) }} aria-hidden="true" />
              {key || '(none)'}{' '}
              <span className="muted">
                {metric === 'cost'
                  ? costLabel(columns.keyTotals[k] ?? 0, columns.keyUnpriced[k] ?? 0)
                  : formatCompact(columns.keyTotals[k] ?? 0)}
              </span>
            </li>
          ))}
        </ul>
      )}
      {tablesShown && (
        <UsageTable
          columns={columns}
          metric={metric}
          period={series.period}
          caption={label}
          utcOffsetMinutes={series.utcOffsetMinutes}
        />
      )}
    </figure>
  )
}
