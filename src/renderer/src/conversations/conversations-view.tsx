import { useState } from 'react'
import type { ChronicleApi } from '../../../shared/api/contract'
import { ConversationList } from './conversation-list'
import { NO_FILTERS, type ListFilters } from './conversation-query'
import type { Grouping } from './list-items'

/** The library: the list on the left, the open conversation on the right. */
export function ConversationsView({
  api,
  selectedId,
  onSelect,
}: {
  readonly api: ChronicleApi
  readonly selectedId: string | null
  readonly onSelect: (id: string | null) => void
}) {
  const [filters, setFilters] = useState<ListFilters>(NO_FILTERS)
  const [grouping, setGrouping] = useState<Grouping>('day')
  void api
  return (
    <div className="conversations-view">
      <ConversationList
        filters={filters}
        onFilters={setFilters}
        grouping={grouping}
        onGrouping={setGrouping}
        selectedId={selectedId}
        onSelect={onSelect}
      />
      <div className="reader-pane" data-testid="reader-pane">
        {selectedId === null ? (
          <p className="muted empty-state">Choose a conversation to read it.</p>
        ) : (
          <p>{selectedId}</p>
        )}
      </div>
    </div>
  )
}
