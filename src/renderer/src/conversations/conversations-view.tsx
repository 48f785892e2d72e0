import { memo, useCallback } from 'react'
import type { ChronicleApi } from '../../../shared/api/contract'
import { libraryView } from '../../../shared/livestore/schema'
import { useChronicleStore } from '../livestore/chronicle-store'
import { ConversationReader } from '../reader/conversation-reader'
import { ConversationList } from './conversation-list'
import type { ListFilters } from './conversation-query'
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
  // This window's filters, grouping and open parents, kept in the store so that a reload finds them (library-view.ts).
  const [{ filters, grouping, showTrivial, expanded }, setView] =
    useChronicleStore().useClientDocument(libraryView)
  const setFilters = useCallback((next: ListFilters) => setView({ filters: next }), [setView])
  const setGrouping = useCallback((next: Grouping) => setView({ grouping: next }), [setView])
  const setShowTrivial = useCallback((next: boolean) => setView({ showTrivial: next }), [setView])
  const setExpanded = useCallback((next: readonly string[]) => setView({ expanded: [...next] }), [setView])
  return (
    <div className="conversations-view">
      <ConversationList
        filters={filters}
        onFilters={setFilters}
        grouping={grouping}
        onGrouping={setGrouping}
        showTrivial={showTrivial}
        onShowTrivial={setShowTrivial}
        expanded={expanded}
        onExpanded={setExpanded}
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
