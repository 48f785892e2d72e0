import { memo } from 'react'
import { useChronicleStore } from '../livestore/chronicle-store'
import { SOURCES, type Source } from '../../../shared/domain'
import {
  filterChoices$,
  LIST_SORTS,
  SHELVES,
  type ListFilters,
  type ListSort,
  type Shelf,
} from './conversation-query'
import { GROUPINGS, type Grouping } from './list-items'

interface ToolbarProps {
  readonly filters: ListFilters
  readonly onFilters: (next: ListFilters) => void
  readonly grouping: Grouping
  readonly onGrouping: (next: Grouping) => void
  readonly shown: number
}

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

/** Shelves, filters, sort and grouping: each choice is offered only with the values the library holds. */
/** Memoised: the list re-renders on every frame of a scroll, the toolbar only when its props change. */
export const ListToolbar = memo(function ListToolbar({
  filters,
  onFilters,
  grouping,
  onGrouping,
  shown,
}: ToolbarProps) {
  const store = useChronicleStore()
  const choices = store.useQuery(filterChoices$)
  const values = (kind: string) => choices.filter((choice) => choice.kind === kind)
  const set = (patch: Partial<ListFilters>) => onFilters({ ...filters, ...patch })
  const select = (label: string, kind: string, value: string | null, apply: (v: string | null) => void) => (
    <label className="filter">
      <span className="visually-hidden">{label}</span>
      <select
        aria-label={label}
        value={value ?? ''}
        onChange={(e) => apply(e.target.value === '' ? null : e.target.value)}
      >
        <option value="">{`Any ${label.toLowerCase()}`}</option>
        {values(kind).map((choice) => (
          <option key={choice.value} value={choice.value}>
            {`${choice.value} (${choice.n})`}
          </option>
        ))}
      </select>
    </label>
  )
  return (
    <div className="list-toolbar">
      <div className="shelves" role="tablist" aria-label="Shelves">
        {SHELVES.map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={filters.shelf === id}
            onClick={() => set({ shelf: id as Shelf })}
          >
            {label}
          </button>
        ))}
        <span className="muted shown" data-testid="shown-count">
          {shown.toLocaleString()}
        </span>
      </div>
      <div className="filters">
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
        <label className="filter">
          Sort
          <select value={filters.sort} onChange={(e) => set({ sort: e.target.value as ListSort })}>
            {LIST_SORTS.map(([id, label]) => (
              <option key={id} value={id}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="filter">
          Group
          <select value={grouping} onChange={(e) => onGrouping(e.target.value as Grouping)}>
            {GROUPINGS.map(([id, label]) => (
              <option key={id} value={id}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </div>
    </div>
  )
})
