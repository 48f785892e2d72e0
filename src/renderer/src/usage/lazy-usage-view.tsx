/**
 * The dashboard as the shell shows it: loaded on first opening, so the chart library and the dashboard (about
 * 70 KB minified) are not in the bundle every window parses at start. The paint measures start here, before the
 * chunk loads, so the first-paint figure counts the loading too (when the idle preload has not done it).
 */
import { lazy, Suspense, useEffect, type ComponentProps } from 'react'
import { usePaintMeasures } from './use-paint-measures'
import type { UsageView } from './usage-view'

const load = () => import('./usage-view')
const UsageViewChunk = lazy(() => load().then((module) => ({ default: module.UsageView })))

/**
 * Fetches the chunk once the shell has painted, so opening the view does not wait for it (50 to 90 ms of the first
 * paint on the shared test machine), while the window's first paint does not wait for it either.
 */
export function usePreloadedUsageView(): void {
  useEffect(() => {
    const timer = setTimeout(() => void load(), 0)
    return () => clearTimeout(timer)
  }, [])
}

export function LazyUsageView(props: Omit<ComponentProps<typeof UsageView>, 'measures'>) {
  const measures = usePaintMeasures()
  return (
    <Suspense fallback={<p className="muted">Loading usage…</p>}>
      <UsageViewChunk {...props} measures={measures} />
    </Suspense>
  )
}
