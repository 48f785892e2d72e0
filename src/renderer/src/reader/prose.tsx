/**
 * A message's text as markdown. Markdown is the costliest part of drawing a message (parsing, highlighting, a
 * deeper DOM to lay out), and a reader who scrolls fast brings a screenful of new messages into view each frame: drawn
 * in full inside the scroll's frame, they made long tasks. So a message that comes into view while the reader
 * scrolls is drawn as plain text first and as markdown in a background render that React can interrupt and resume
 * between frames; one that appears while the reader is at rest (a conversation opened, a part unfolded) is drawn
 * as markdown at once, so nothing flickers there.
 */
import { createContext, lazy, Suspense, useContext, useDeferredValue, useState } from 'react'

const Markdown = lazy(() => import('./markdown'))

/** Whether the reader is scrolling now: provided by the reader from its virtualiser. */
export const ReaderScrolling = createContext(false)

export function Prose({ text }: { readonly text: string }) {
  // Decided when the message mounts: the scroll stopping later does not redraw it.
  const [plainFirst] = useState(useContext(ReaderScrolling))
  const asMarkdown = useDeferredValue(true, !plainFirst)
  // Also the fallback for the moment before the markdown module is in.
  const plain = <div className="markdown plain">{text}</div>
  if (!asMarkdown) return plain
  return (
    <Suspense fallback={plain}>
      <Markdown text={text} />
    </Suspense>
  )
}
