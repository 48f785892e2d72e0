import { memo, useState } from 'react'
import type { ChronicleApi } from '../../../shared/api/contract'
import { ConversationReader } from '../reader/conversation-reader'
import { ConversationList } from './conversation-list'
import { NO_FILTERS, type ListFilters } from './conversation-query'
import type { Grouping } from './list-items'

/** The library: the list on the left, the open conversation on the right. */
export const ConversationsView = memo(function ConversationsView({
  api,
  selectedId,
  onSelect,
  focusMessageId,
  onBackToResults,
}: {
  readonly api: ChronicleApi
  readonly selectedId: string | null
  readonly onSelect: (id: string | null) => void
  /** A message to bring into view (a search hit's). */
  readonly focusMessageId: string | null
  /** Present when a search hit opened the conversation. */
  readonly onBackToResults: (() => void) | null
}) {
  const [filters, setFilters] = useState<ListFilters>(NO_FILTERS)
  const [grouping, setGrouping] = useState<Grouping>('day')
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
        {onBackToResults && (
          <button type="button" className="back-to-results" onClick={onBackToResults}>
            ← Back to results
          </button>
        )}
        {selectedId === null ? (
          <p className="muted empty-state">Choose a conversation to read it.</p>
        ) : (
          <ConversationReader
            api={api}
            conversationId={selectedId}
            focusMessageId={focusMessageId}
            onOpenConversation={onSelect}
          />
        )}
      </div>
    </div>
  )
})
