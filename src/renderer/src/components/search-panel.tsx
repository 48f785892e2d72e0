import { memo, useEffect, useRef, useState } from 'react'
import type { ChronicleApi } from '../../../shared/api/contract'
import type { SearchHit } from '../../../shared/domain'
import { useApiCall } from '../api/use-api-call'
import { formatDay } from '../format'
import { Snippet } from './snippet'

/**
 * As you type: every keystroke asks (a search answers in milliseconds), and an answer that arrives after a newer
 * keystroke is dropped, so the results never run behind the query.
 */
const SEARCH_DELAY_MS = 0

export const SearchPanel = memo(function SearchPanel({
  api,
  onOpen,
}: {
  readonly api: ChronicleApi
  /** Opens a hit: its conversation, at its message. */
  readonly onOpen: (conversationId: string, messageId: string | null) => void
}) {
  const [query, setQuery] = useState('')
  const input = useRef<HTMLInputElement>(null)
  // A space after the last word says it is complete, so it is kept (as one) and the search reads the rest as typed.
  const asked = query.trimStart().replace(/\s+$/u, ' ')
  const results = useApiCall(
    api,
    'search',
    asked.trim() ? { query: asked, limit: 50, asYouType: true } : null,
    SEARCH_DELAY_MS,
  )

  // "/" focuses search from anywhere, as in most keyboard-first tools.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === '/' && document.activeElement !== input.current) {
        event.preventDefault()
        input.current?.focus()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  return (
    <section className="search" aria-label="Search">
      <input
        ref={input}
        type="search"
        className="search-input"
        placeholder='Search every conversation: words, "phrases", prefix*, source:roo, after:2025-01 …  (press /)'
        aria-label="Search conversations"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        autoFocus
      />
      {results.status === 'failed' && (
        <p role="alert" className="search-error" data-testid="search-error">
          {results.error.message}
        </p>
      )}
      {results.status === 'done' && (
        <HitList
          titleHits={results.value.titleHits}
          hits={results.value.hits}
          answers={(JSON.parse(results.key) as { query: string }).query}
          onOpen={onOpen}
        />
      )}
    </section>
  )
})

interface HitListProps {
  readonly titleHits: readonly SearchHit[]
  readonly hits: readonly SearchHit[]
  /** The query these results answer (the newest one may still be on its way). */
  readonly answers: string
  readonly onOpen: (conversationId: string, messageId: string | null) => void
}

function HitList({ titleHits, hits, answers, onOpen }: HitListProps) {
  if (hits.length === 0 && titleHits.length === 0) {
    return (
      <p className="muted" data-testid="search-empty" data-answers={answers}>
        No matches.
      </p>
    )
  }
  return (
    <ol className="hits" data-testid="search-results" data-answers={answers}>
      {[...titleHits, ...hits].map((hit) => (
        <li
          key={`${hit.kind}:${hit.messageId ?? hit.conversationId}`}
          className="hit"
          data-testid="search-hit"
          tabIndex={0}
          onClick={() => onOpen(hit.conversationId, hit.messageId)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') onOpen(hit.conversationId, hit.messageId)
            if (event.key === 'ArrowDown')
              (event.currentTarget.nextElementSibling as HTMLElement | null)?.focus()
            if (event.key === 'ArrowUp')
              (event.currentTarget.previousElementSibling as HTMLElement | null)?.focus()
          }}
        >
          <div className="hit-title">
            {hit.conversationTitle || '(untitled)'}
            <span className="hit-meta">
              {hit.source}
              {hit.workspace ? ` · ${hit.workspace}` : ''}
              {hit.createdAt !== null ? ` · ${formatDay(hit.createdAt)}` : ''}
              {hit.kind === 'title' ? ' · title' : hit.role ? ` · ${hit.role}` : ''}
            </span>
          </div>
          <Snippet text={hit.snippet} />
        </li>
      ))}
    </ol>
  )
}
