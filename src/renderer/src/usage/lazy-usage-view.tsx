/**
 * The dashboard as the shell shows it. Its chunk (the chart library and the dashboard, about 70 KB minified) is
 * not in the bundle every window parses at start. It is fetched when the user shows the intent to open it
 * (pointer over or focus on its tab), or once the page has been still for QUIET_MS, so that compiling and running
 * it never lands in a cold start or a scroll (on one core it was a 126 ms long task in the first scroll), and the
 * view usually finds it there. Not React.lazy: a Suspense boundary that showed its fallback reveals its content
 * no sooner than 300 ms later (React throttles reveals), which was most of the dashboard's first paint.
 * The paint measures start when the view mounts, so the first-paint figure counts any wait for the chunk too.
 */
import { useEffect, useState, type ComponentProps } from 'react'
import { whenQuiet } from '../shell/when-quiet'
import { usePaintMeasures } from './use-paint-measures'
import type { UsageView } from './usage-view'

type UsageViewComponent = typeof UsageView

/** How long the page must be still before the chunk is fetched without being asked for. */
export const QUIET_MS = 2_000

let loaded: UsageViewComponent | null = null
let loading: Promise<UsageViewComponent> | null = null

/** Fetches the dashboard's chunk once; every later call gets the same promise. */
export function loadUsageView(): Promise<UsageViewComponent> {
  loading ??= import('./usage-view').then((module) => (loaded = module.UsageView))
  return loading
}

/** Fetches the chunk once the page is still, unless something asked for it first. */
export function usePreloadUsageView(): void {
  useEffect(() => whenQuiet(QUIET_MS, () => void loadUsageView()), [])
}

/** The dashboard's component, once its chunk is in; null until then. */
function useUsageViewChunk(): UsageViewComponent | null {
  const [component, setComponent] = useState<UsageViewComponent | null>(() => loaded)
  useEffect(() => {
    if (component !== null) return
    let live = true
    void loadUsageView().then((view) => {
      if (live) setComponent(() => view)
    })
    return () => {
      live = false
    }
  }, [component])
  return component
}

type ViewProps = Omit<ComponentProps<UsageViewComponent>, 'measures'>

export function LazyUsageView(props: ViewProps) {
  const measures = usePaintMeasures()
  const chunk = useUsageViewChunk()
  if (chunk === null) return <p className="muted">Loading usage…</p>
  return <LoadedUsageView {...props} chunk={chunk} measures={measures} />
}

function LoadedUsageView({
  chunk: View,
  ...props
}: ComponentProps<UsageViewComponent> & { readonly chunk: UsageViewComponent }) {
  return <View {...props} />
}
