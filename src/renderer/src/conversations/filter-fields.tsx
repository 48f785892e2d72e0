/**
 * The library's filters as fields: source, workspace, model, device and dates, each offered with the values the
 * library holds. The list's toolbar and the usage dashboard both show them over this window's one library view.
 */
import { SOURCES, type Source } from '../../../shared/domain'
import { conversationsChanged$, useIdleQuery } from '../livestore/use-idle-query'
import { filterChoices$, type ListFilters } from './conversation-query'
import { menuOptions, NOT_COUNTED_YET } from './menu-options'

const DAY = 86_400_000
const pad = (n: number) => String(n).padStart(2, '0')
/** A local day as a date field's value (the field speaks local dates, not UTC). */
const toDateInput = (ms: number | null) => {
  if (ms === null) return ''
  const date = new Date(ms)
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}
/** A date field's value as local midnight; `plusDays` 1 makes "until" include the whole day. */
const fromDateInput = (value: string, plusDays = 0) => {
  if (value === '') return null
  const [year, month, day] = value.split('-').map(Number)
  return new Date(year ?? 1970, (month ?? 1) - 1, day ?? 1).getTime() + plusDays * DAY
}

export function FilterFields({
  filters,
  onFilters,
}: {
  readonly filters: ListFilters
  readonly onFilters: (next: ListFilters) => void
}) {
  // Counted when the page is idle, and again as a menu is about to open if anything changed since.
  const { value: choices, fresh } = useIdleQuery(filterChoices$, conversationsChanged$, NOT_COUNTED_YET)
  const set = (patch: Partial<ListFilters>) => onFilters({ ...filters, ...patch })
  const select = (label: string, kind: string, value: string | null, apply: (v: string | null) => void) => (
    <label className="filter">
      <span className="visually-hidden">{label}</span>
      <select
        aria-label={label}
        value={value ?? ''}
        onPointerDown={fresh}
        onFocus={fresh}
        onChange={(e) => apply(e.target.value === '' ? null : e.target.value)}
      >
        <option value="">{`Any ${label.toLowerCase()}`}</option>
        {menuOptions(choices, kind, value).map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  )
  return (
    <>
      {select('Source', 'source', filters.source, (v) =>
        set({ source: v !== null && (SOURCES as readonly string[]).includes(v) ? (v as Source) : null }),
      )}
      {select('Workspace', 'workspace', filters.workspace, (v) => set({ workspace: v }))}
      {select('Model', 'model', filters.model, (v) => set({ model: v }))}
      {select('Device', 'device', filters.deviceId, (v) => set({ deviceId: v }))}
      <label className="filter">
        From
        <input
          type="date"
          value={toDateInput(filters.since)}
          onChange={(e) => set({ since: fromDateInput(e.target.value) })}
        />
      </label>
      <label className="filter">
        To
        <input
          type="date"
          value={toDateInput(filters.until === null ? null : filters.until - DAY)}
          onChange={(e) => set({ until: fromDateInput(e.target.value, 1) })}
        />
      </label>
    </>
  )
}
