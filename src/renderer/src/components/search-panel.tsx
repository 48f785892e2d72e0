import { memo, useEffect, useRef, useState } from 'react'
import type { ChronicleApi } from '../../../shared/api/contract'
import { SUGGEST_BELOW } from '../../../shared/search/suggestions'
import { useApiCall } from '../api/use-api-call'
import { DidYouMean } from './did-you-mean'
import { HitList } from './hit-list'
import './search.css'

/**
 * As you type: every keystroke asks (a search answers in milliseconds), and an answer that arrives after a newer
 * keystroke is dropped, so the results never run behind the query.
 */
const SEARCH_DELAY_MS = 0
/**
 * "Did you mean" is asked once typing pauses on an answer with fewer than SUGGEST_BELOW messages: reading the
 * index's vocabulary can take a few hundred milliseconds at a million messages, more than a keystroke's answer may
 * wait (the main process computes it on a worker thread, so other calls do not wait for it).
 */
const SUGGEST_DELAY_MS = 300
/** The grouping choice outlives the page: the same browser profile, the same choice. */
const GROUPED_KEY = 'chronicle.search.groupedByConversation'

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
  const searchArgs = asked.trim() ? { query: asked, limit: 50, asYouType: true } : null
  const results = useApiCall(api, 'search', searchArgs, SEARCH_DELAY_MS)
  const current = results.status === 'done' && results.key === JSON.stringify(searchArgs)
  const suggestArgs =
    current && results.value.hits.length < SUGGEST_BELOW ? { query: asked, asYouType: true } : null
  const suggestions = useApiCall(api, 'searchSuggestions', suggestArgs, SUGGEST_DELAY_MS)
  const [grouped, setGrouped] = useState(() => localStorage.getItem(GROUPED_KEY) === 'true')
  const group = (on: boolean) => {
    setGrouped(on)
    localStorage.setItem(GROUPED_KEY, String(on))
  }
  const run = (suggested: string) => {
    // The space marks the corrected last word as complete, so it runs as the word, not as a prefix.
    setQuery(`${suggested.trimEnd()} `)
    input.current?.focus()
  }

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
      <label className="search-option">
        <input
          type="checkbox"
          data-testid="search-grouped"
          checked={grouped}
          onChange={(event) => group(event.target.checked)}
        />
        Group by conversation
      </label>
      {results.status === 'failed' && (
        <p role="alert" className="search-error" data-testid="search-error">
          {results.error.message}
        </p>
      )}
      {suggestions.status === 'done' && suggestions.key === JSON.stringify(suggestArgs) && (
        <DidYouMean suggestions={suggestions.value} onRun={run} />
      )}
      {results.status === 'done' && (
        <HitList
          titleHits={results.value.titleHits}
          hits={results.value.hits}
          answers={(JSON.parse(results.key) as { query: string }).query}
          grouped={grouped}
          onOpen={onOpen}
        />
      )}
    </section>
  )
})
