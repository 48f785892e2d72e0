import type { SearchSuggestion } from '../../../shared/api/contract'

/**
 * "Did you mean": each suggestion is the whole query as it would run, with the corrected words marked, and one
 * click runs it.
 */
export function DidYouMean({
  suggestions,
  onRun,
}: {
  readonly suggestions: readonly SearchSuggestion[]
  readonly onRun: (query: string) => void
}) {
  if (suggestions.length === 0) return null
  return (
    <p className="did-you-mean" data-testid="did-you-mean">
      Did you mean{' '}
      {suggestions.map((s, i) => (
        <span key={s.query}>
          {i > 0 && (i === suggestions.length - 1 ? ' or ' : ', ')}
          <button
            type="button"
            className="link-button"
            data-testid="suggestion"
            onClick={() => onRun(s.query)}
          >
            <Corrected suggestion={s} />
          </button>
        </span>
      ))}
      ?
    </p>
  )
}

/** The query with the words the suggestion changed in bold. */
function Corrected({ suggestion }: { readonly suggestion: SearchSuggestion }) {
  const changed = new Set(suggestion.corrections.map((c) => c.suggestion))
  return (
    <>
      {suggestion.query
        .split(/(\s+)/u)
        .map((part, i) =>
          changed.has(part.replace(/^["-]+|["*]+$/gu, '')) ? <strong key={i}>{part}</strong> : part,
        )}
    </>
  )
}
