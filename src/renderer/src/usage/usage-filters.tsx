import { memo } from 'react'
import { SHELVES, type ListFilters, type Shelf } from '../conversations/conversation-query'
import { FilterFields } from '../conversations/filter-fields'

/**
 * The list's filters, shown on the dashboard: both edit this window's one library view, so a filter set here
 * holds in the list and the other way round. Dates filter responses by their time here, conversations by their
 * last activity in the list.
 */
export const UsageFilters = memo(function UsageFilters({
  filters,
  onFilters,
}: {
  readonly filters: ListFilters
  readonly onFilters: (next: ListFilters) => void
}) {
  return (
    <div className="filters usage-filters">
      <label className="filter">
        <span className="visually-hidden">Shelf</span>
        <select
          aria-label="Shelf"
          value={filters.shelf}
          onChange={(e) => onFilters({ ...filters, shelf: e.target.value as Shelf })}
        >
          {SHELVES.map(([id, label]) => (
            <option key={id} value={id}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <FilterFields filters={filters} onFilters={onFilters} />
    </div>
  )
})
