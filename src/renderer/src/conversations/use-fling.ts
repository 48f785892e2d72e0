/**
 * Whether the list is being flung: moved by more than its own height since the last scroll event, as a dragged
 * scrollbar or a hard swipe does. Rows passing that fast cannot be read, and drawing each in full costs more than
 * a frame on a slow machine, so the list draws them as placeholders until the scrolling slows or stops.
 */
import type { Virtualizer } from '@tanstack/react-virtual'
import { useCallback, useRef, useState } from 'react'

/** A fling: still scrolling, and moved by more than the view's height since the last scroll event. */
export const isFling = (moved: number, viewHeight: number, scrolling: boolean): boolean =>
  scrolling && Math.abs(moved) > viewHeight

export function useFling<TScroll extends Element>() {
  const [flinging, setFlinging] = useState(false)
  const lastOffset = useRef(0)
  // The virtualiser calls this on every scroll event and when scrolling stops (isScrolling turns false).
  const onChange = useCallback((instance: Virtualizer<TScroll, Element>) => {
    const offset = instance.scrollOffset ?? 0
    const moved = offset - lastOffset.current
    lastOffset.current = offset
    setFlinging(isFling(moved, instance.scrollRect?.height ?? Number.POSITIVE_INFINITY, instance.isScrolling))
  }, [])
  return { flinging, onChange }
}
