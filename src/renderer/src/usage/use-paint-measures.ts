/**
 * The dashboard's two timings, as performance measures the page (and the e2e spec) can read:
 * - `usage first paint`: from the view opening to its figures painted;
 * - `usage filter render`: from a filter or control changed to the next figures painted.
 * "Painted" is a task after the frame that drew the chart (requestAnimationFrame, then a timeout), so the
 * figure includes the browser's paint, not only our drawing.
 */
import { useEffect, useState } from 'react'

export const FIRST_PAINT = 'usage first paint'
export const FILTER_RENDER = 'usage filter render'

export interface PaintMeasures {
  /** A filter or control changed: the next paint ends a `usage filter render`. */
  readonly changed: () => void
  /** The figures were drawn (the chart, or the empty state). */
  readonly painted: () => void
}

function paintMeasures(): PaintMeasures {
  const open = performance.mark('usage open')
  let firstDone = false
  let change: PerformanceMark | null = null
  const afterPaint = (then: () => void) => requestAnimationFrame(() => setTimeout(then, 0))
  return {
    changed: () => {
      change = performance.mark('usage change')
    },
    painted: () => {
      const first = !firstDone
      const since = change
      firstDone = true
      change = null
      if (!first && since === null) return
      afterPaint(() => {
        if (first) performance.measure(FIRST_PAINT, { start: open.startTime, end: performance.now() })
        if (since) performance.measure(FILTER_RENDER, { start: since.startTime, end: performance.now() })
      })
    },
  }
}

/** One set of measures per opening of the view (the shell mounts the view each time it is shown). */
export function usePaintMeasures(): PaintMeasures {
  return useState(paintMeasures)[0]
}

/** The time, moved on every minute while the view is open. */
export function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000)
    return () => clearInterval(timer)
  }, [])
  return now
}
