/**
 * The dashboard as the shell shows it: its chunk (the chart library and the dashboard, about 70 KB minified) is
 * not in the bundle every window parses at start, but fetched once the shell has mounted, so opening the view
 * does not wait for it. Not React.lazy: a Suspense boundary that showed its fallback reveals its content no sooner
 * than 300 ms later (React throttles reveals), which was most of the dashboard's first paint.
 * The paint measures start here, so the first-paint figure counts any wait for the chunk too.
 */
import { useEffect, useState, type ComponentProps } from 'react'
import { usePaintMeasures } from './use-paint-measures'
import type { UsageView } from './usage-view'

type UsageViewComponent = typeof UsageView

/** The dashboard's component once its chunk is in; null until then. */
export function useUsageViewChunk(): UsageViewComponent | null {
  const [component, setComponent] = useState<UsageViewComponent | null>(null)
  useEffect(() => {
    let live = true
    const timer = setTimeout(
      () =>
        void import('./usage-view').then((module) => {
          if (live) setComponent(() => module.UsageView)
        }),
      0,
    )
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [])
  return component
}

export function LazyUsageView({
  chunk: View,
  ...props
}: Omit<ComponentProps<UsageViewComponent>, 'measures'> & { readonly chunk: UsageViewComponent | null }) {
  const measures = usePaintMeasures()
  if (View === null) return <p className="muted">Loading usage…</p>
  return <View {...props} measures={measures} />
}
