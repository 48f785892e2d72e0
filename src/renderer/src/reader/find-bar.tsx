/**
 * The reader's find bar: a field in the search language, where the current occurrence is ("3 of 41"), and the
 * keys a browser's find has: Enter and Shift+Enter (or the arrows) to move, Escape to close.
 */
import { useEffect, useRef, type KeyboardEvent } from 'react'
import { formatCount } from '../format'
import type { ConversationFindState } from './use-conversation-find'

function statusText(find: ConversationFindState): string {
  if (find.status === 'failed') return find.error ?? 'Find failed.'
  if (find.status === 'idle') return find.error ?? ''
  if (find.status === 'searching') return 'Finding…'
  if (find.total === 0) return 'No matches'
  const of = `${formatCount(find.position + 1)} of ${formatCount(find.total)}`
  return find.truncated ? `${of} (first messages only)` : of
}

export function FindBar({
  find,
  focusRequest,
  onClose,
}: {
  readonly find: ConversationFindState
  /** Changes each time Ctrl/Cmd+F is pressed, so a bar already open takes the focus again. */
  readonly focusRequest: number
  readonly onClose: () => void
}) {
  const input = useRef<HTMLInputElement>(null)
  useEffect(() => {
    input.current?.focus()
    input.current?.select()
  }, [focusRequest])

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') find.step(event.shiftKey ? -1 : 1)
    else if (event.key === 'ArrowDown') find.step(1)
    else if (event.key === 'ArrowUp') find.step(-1)
    else if (event.key === 'Escape') onClose()
    else return
    event.preventDefault()
    // Escape closes the find only, not a view or a selection around the reader.
    event.stopPropagation()
  }

  const text = statusText(find)
  const none = find.total === 0
  return (
    <div className="find-bar" role="search" aria-label="Find in conversation" data-testid="find-bar">
      <input
        ref={input}
        type="search"
        className="find-input"
        aria-label="Find in conversation"
        placeholder="Find in conversation"
        value={find.query}
        onChange={(event) => find.setQuery(event.target.value)}
        onKeyDown={onKeyDown}
        spellCheck={false}
        aria-invalid={find.status === 'failed' || (find.status === 'idle' && find.error !== null)}
        aria-describedby="find-status"
      />
      <output
        id="find-status"
        className={`find-status${find.status === 'failed' ? ' failed' : ''}`}
        aria-live="polite"
        data-testid="find-status"
        data-state={find.status}
      >
        {text}
      </output>
      <button
        type="button"
        onClick={() => find.step(-1)}
        disabled={none}
        title="Previous match (Shift+Enter)"
      >
        ↑
      </button>
      <button type="button" onClick={() => find.step(1)} disabled={none} title="Next match (Enter)">
        ↓
      </button>
      <button type="button" onClick={onClose} title="Close (Escape)" aria-label="Close find">
        ×
      </button>
    </div>
  )
}
