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

/**
 * Whether a frame is drawn as a fling: the move since the last scroll event makes one, and a fling already under
 * way goes on while scrolling does (until that event's own answer arrives, below).
 */
export const drawnAsFling = (frame: {
  readonly moved: number
  readonly viewHeight: number
  readonly scrolling: boolean
  readonly flungAtLastEvent: boolean
}): boolean =>
  isFling(frame.moved, frame.viewHeight, frame.scrolling) || (frame.flungAtLastEvent && frame.scrolling)

type ListVirtualizer<TScroll extends Element> = Virtualizer<TScroll, Element>

const viewHeightOf = (instance: { readonly scrollRect: { readonly height: number } | null }) =>
  instance.scrollRect?.height ?? Number.POSITIVE_INFINITY

export function useFling<TScroll extends Element>() {
  const [flungAtLastEvent, setFlungAtLastEvent] = useState(false)
  const lastOffset = useRef(0)
  // The virtualiser calls this on every scroll event and when scrolling stops (isScrolling turns false).
  const onChange = useCallback((instance: ListVirtualizer<TScroll>) => {
    const offset = instance.scrollOffset ?? 0
    const moved = offset - lastOffset.current
    lastOffset.current = offset
    setFlungAtLastEvent(isFling(moved, viewHeightOf(instance), instance.isScrolling))
  }, [])
  /**
   * Whether the frame being drawn is a fling's. The virtualiser draws a scroll event's frame at once, before it
   * calls onChange, so the state above still holds the previous event's answer: the move since that event is read
   * here too. Otherwise a fling's first frame drew every row in view in full (with their query) and then again as
   * placeholders, the long task of a fling's first frame.
   */
  const flinging = (instance: ListVirtualizer<TScroll>): boolean =>
    drawnAsFling({
      moved: (instance.scrollOffset ?? 0) - lastOffset.current,
      viewHeight: viewHeightOf(instance),
      scrolling: instance.isScrolling,
      flungAtLastEvent,
    })
  return { flinging, onChange }
}
