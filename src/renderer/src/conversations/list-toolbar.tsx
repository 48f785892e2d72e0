import { memo } from 'react'
import { LIST_SORTS, SHELVES, type ListFilters, type ListSort, type Shelf } from './conversation-query'
import { FilterFields } from './filter-fields'
import { GROUPINGS, type Grouping } from './list-items'

interface ToolbarProps {
  readonly filters: ListFilters
  readonly onFilters: (next: ListFilters) => void
  readonly grouping: Grouping
  readonly onGrouping: (next: Grouping) => void
  readonly shown: number
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
  const set = (patch: Partial<ListFilters>) => onFilters({ ...filters, ...patch })
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
        <FilterFields filters={filters} onFilters={onFilters} />
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
