/**
 * Ctrl/Cmd+F opens the reader's find while the reader is on screen, unless the focus is in a field outside it
 * (the list's filter, the search view's box): there, and in every other view, the key stays the browser's.
 */
import { useEffect, useRef, type RefObject } from 'react'

const typingIn = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement &&
  (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))

export function useFindKey(reader: RefObject<HTMLElement | null>, onFind: () => void): void {
  const latest = useRef(onFind)
  useEffect(() => {
    latest.current = onFind
  })
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return
      if (event.key.toLowerCase() !== 'f') return
      const section = reader.current
      // Hidden with its view (display: none) or not mounted: not the reader's key.
      if (!section || !section.checkVisibility()) return
      if (typingIn(event.target) && !section.contains(event.target as Node)) return
      event.preventDefault()
      latest.current()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [reader])
}
