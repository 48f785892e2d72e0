import { NO_FILTERS, type ListFilters } from './conversation-query'

/** An empty list says why and offers the way on: clear the filters, or import. */
export function EmptyList({
  filters,
  onClear,
}: {
  readonly filters: ListFilters
  readonly onClear: () => void
}) {
  // The sort narrows nothing: any other choice does.
  const filtered = JSON.stringify({ ...filters, sort: NO_FILTERS.sort }) !== JSON.stringify(NO_FILTERS)
  return (
    <div className="empty-state" data-testid="empty-list">
      {filtered ? (
        <>
          <p>No conversation matches these filters.</p>
          <button type="button" onClick={onClear}>
            Show all conversations
          </button>
        </>
      ) : (
        <>
          <p>No conversations yet.</p>
          <p className="muted">
            Chronicle imports what Roo Code, Cline, Claude Code and ChatGPT exports keep on this machine. Run
            <code> chronicle import </code> or add a source in Settings.
          </p>
        </>
      )}
    </div>
  )
}
