import type { UsagePeriod } from '../../../shared/usage/usage-report'
import {
  costLabel,
  formatExactCount,
  formatMoney,
  type StackedColumns,
  type UsageMetric,
} from './usage-figures'

const PERIOD_FORMAT: Record<UsagePeriod, Intl.DateTimeFormat> = {
  day: new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }),
  week: new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }),
  month: new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'long' }),
}
export const formatPeriod = (start: number, period: UsagePeriod): string =>
  (period === 'week' ? 'Week of ' : '') + PERIOD_FORMAT[period].format(start)

/** Zones such as India's (+5:30) get local days from whole UTC hours: the rollup is hourly. */
const offsetNote = (utcOffsetMinutes: number) =>
  utcOffsetMinutes % 60 === 0
    ? ''
    : ' Periods start on the whole hour nearest local midnight: your time zone is not a whole number of hours from UTC.'

/**
 * The chart's figures as a table, newest period first, shown with "Show tables" (a toggle, so a two-year daily
 * chart does not put thousands of hidden cells in every first paint): a screen reader or keyboard user reads
 * exactly what the bars draw.
 */
export function UsageTable({
  columns,
  metric,
  period,
  caption,
  utcOffsetMinutes,
}: {
  readonly columns: StackedColumns
  readonly metric: UsageMetric
  readonly period: UsagePeriod
  readonly caption: string
  readonly utcOffsetMinutes: number
}) {
  const value = (v: number) => (metric === 'cost' ? formatMoney(v) : formatExactCount(v))
  const grouped = columns.keys.length > 1 || (columns.keys[0] ?? '') !== ''
  const rows = columns.starts.map((start, i) => i).reverse()
  return (
    <table className="groups usage-table" data-testid="usage-table">
      <caption>
        {caption}
        {offsetNote(utcOffsetMinutes)}
      </caption>
      <thead>
        <tr>
          <th scope="col">{period === 'month' ? 'Month' : period === 'week' ? 'Week' : 'Day'}</th>
          {grouped &&
            columns.keys.map((key) => (
              <th scope="col" key={key}>
                {key || '(none)'}
              </th>
            ))}
          <th scope="col">Total</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((i) => (
          <tr key={columns.starts[i]} data-period-start={columns.starts[i]}>
            <th scope="row">{formatPeriod(columns.starts[i] ?? 0, period)}</th>
            {grouped && columns.values.map((column, k) => <td key={k}>{value(column[i] ?? 0)}</td>)}
            <td data-testid="usage-period-total">
              {metric === 'cost'
                ? costLabel(columns.totals[i] ?? 0, columns.unpriced[i] ?? 0)
                : value(columns.totals[i] ?? 0)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
