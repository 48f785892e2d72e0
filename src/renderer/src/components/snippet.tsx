import { SNIPPET_MARK_END, SNIPPET_MARK_START } from '../../../shared/domain'

/** Turns the search's match markers into <mark> elements; the text itself is never parsed as HTML. */
export function Snippet({ text }: { readonly text: string }) {
  const parts = text.split(SNIPPET_MARK_START)
  return (
    <p className="snippet">
      {parts.map((part, i) => {
        if (i === 0) return <span key={i}>{part}</span>
        const [marked = '', rest = ''] = part.split(SNIPPET_MARK_END)
        return (
          <span key={i}>
            <mark>{marked}</mark>
            {rest}
          </span>
        )
      })}
    </p>
  )
}
