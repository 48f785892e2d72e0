/**
 * Keeps the find's highlights on whatever the reader has rendered: rows come and go as it scrolls, markdown
 * replaces plain text once its module is in, a folded tool output opens. After each move it brings the current
 * occurrence into view, once its text is on screen; `onReveal` is told first, so the reader counts that scroll as
 * one of its own jumps (the messages it brings are drawn as markdown at once, prose.tsx).
 */
import { useEffect, useRef, type RefObject } from 'react'
import { clearFindHighlights, paintFindHighlights } from './find-highlights'
import type { ConversationFindState } from './use-conversation-find'

/** Where in the view a revealed occurrence lands: a third of the way down reads better than the very edge. */
const REVEAL_AT = 1 / 3

function inView(range: Range, scroller: HTMLElement): boolean {
  const box = range.getBoundingClientRect()
  const view = scroller.getBoundingClientRect()
  return box.top >= view.top && box.bottom <= view.bottom
}

export function useFindHighlights(
  scroller: RefObject<HTMLElement | null>,
  find: Pick<ConversationFindState, 'open' | 'search' | 'target' | 'moves'>,
  onReveal: () => void,
): void {
  const { open, search, target, moves } = find
  // The move whose occurrence has not been brought into view yet.
  const unrevealed = useRef<number | null>(null)
  useEffect(() => {
    unrevealed.current = moves
  }, [moves])

  useEffect(() => {
    const root = scroller.current
    if (!open || !search || !root) {
      clearFindHighlights()
      return
    }
    let frame = 0
    const paint = () => {
      frame = 0
      const range = paintFindHighlights(root, search, target)
      if (range && unrevealed.current !== null) {
        if (inView(range, root)) unrevealed.current = null
        else {
          const box = range.getBoundingClientRect()
          const view = root.getBoundingClientRect()
          onReveal()
          root.scrollTop += box.top - view.top - view.height * REVEAL_AT
        }
      }
    }
    const schedule = () => {
      if (frame === 0) frame = requestAnimationFrame(paint)
    }
    schedule()
    const observer = new MutationObserver(schedule)
    observer.observe(root, { childList: true, subtree: true, characterData: true })
    // A scroll that the virtualiser settles moves rows without adding any: look again while a reveal is due.
    const onScroll = () => {
      if (unrevealed.current !== null) schedule()
    }
    root.addEventListener('scroll', onScroll, { passive: true })
    return () => {
      observer.disconnect()
      root.removeEventListener('scroll', onScroll)
      if (frame !== 0) cancelAnimationFrame(frame)
    }
  }, [scroller, open, search, target, moves, onReveal])

  useEffect(() => clearFindHighlights, [])
}
