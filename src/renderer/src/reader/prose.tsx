/**
 * A message's text as markdown. Markdown is the costliest part of drawing a message (parsing, highlighting, a
 * deeper DOM to lay out), and a reader who scrolls fast brings a screenful of new messages into view each frame: drawn
 * in full inside the scroll's frame, they made long tasks. So a message that comes into view while the reader's user
 * scrolls is drawn as plain text first and as markdown in a background render, which React does in slices between
 * frames and sets aside while a frame needs the thread. One that appears otherwise (a conversation opened, the
 * reader's own jump to a search hit or to the end, a part unfolded) is drawn as markdown at once, so nothing
 * flickers there.
 */
import { createContext, lazy, Suspense, useContext, useDeferredValue, useState } from 'react'

const Markdown = lazy(() => import('./markdown'))

/**
 * Whether a message mounting now is drawn as plain text first: asked once per message, as it mounts. The reader
 * provides it (its user is scrolling); a function, so the scroll starting or stopping redraws no message.
 */
export const DrawPlainFirst = createContext<() => boolean>(() => false)

export function Prose({ text }: { readonly text: string }) {
  const drawPlainFirst = useContext(DrawPlainFirst)
  const [plainFirst] = useState(() => drawPlainFirst())
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
