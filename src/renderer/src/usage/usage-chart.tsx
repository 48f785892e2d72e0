/**
 * A stacked bar chart of one metric per period, drawn by uPlot.
 *
 * Why uPlot: it draws on a canvas (a two-year daily chart is ~730 bars × keys, which an SVG library turns into
 * thousands of DOM nodes and React reconciliations per redraw) and it is small. Measured with esbuild, minified
 * (gzip): uPlot 1.6.32 52 KB (23 KB), with no dependencies; ECharts 6.1 tree-shaken to bars, grid, tooltip,
 * legend and the canvas renderer 529 KB (180 KB), whole 1.14 MB (383 KB); visx 4's xychart 176 KB (63 KB)
 * without React, SVG, and animated through react-spring. uPlot does not stack; stacking is a cumulative sum
 * (usage-figures.ts), and the bars are drawn by stacked-bars.ts (uPlot's own bars paths cost 80 ms a redraw in
 * software rasterisation). Its legend is replaced by our own (keyboard-readable HTML) and its cursor reports the
 * hovered period to the readout above.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import type { UsagePeriod } from '../../../shared/usage/usage-report'
import { drawStackedBars } from './stacked-bars'
import { formatCompact, formatMoney, OTHER, type StackedColumns, type UsageMetric } from './usage-figures'

/** Tellable apart on the light and the dark background alike; "Other" is grey. */
const PALETTE = ['#4c6ef5', '#f59f00', '#12b886', '#e64980', '#7950f2', '#15aabf', '#fa5252']
export const keyColour = (key: string, index: number): string =>
  key === OTHER ? '#868e96' : (PALETTE[index % PALETTE.length] ?? '#868e96')

const PERIOD_SECONDS: Record<UsagePeriod, number> = { day: 86_400, week: 604_800, month: 2_629_800 }
const HEIGHT = 240
/** A bar takes this share of its period, and at most MAX_BAR_PX CSS pixels. */
const BAR_FILL = 0.8
const MAX_BAR_PX = 48

/** The page's colours, read from the stylesheet's variables, and whether the dark scheme is on. */
function useThemeColours(): { readonly axis: string; readonly grid: string } {
  const read = () => {
    const style = getComputedStyle(document.documentElement)
    return {
      axis: style.getPropertyValue('--muted').trim() || '#6b6b70',
      grid: style.getPropertyValue('--line').trim() || '#e3e3e0',
    }
  }
  const [colours, setColours] = useState(read)
  useEffect(() => {
    const dark = window.matchMedia('(prefers-color-scheme: dark)')
    const onChange = () => setColours(read())
    dark.addEventListener('change', onChange)
    return () => dark.removeEventListener('change', onChange)
  }, [])
  return colours
}

function cumulative(values: readonly (readonly number[])[]): number[][] {
  const sums: number[][] = []
  for (const column of values) {
    const below = sums.at(-1)
    sums.push(column.map((v, i) => v + (below?.[i] ?? 0)))
  }
  return sums
}

/** x in seconds, then each key's cumulative sum, the bottom key first (the last series is the total). */
function chartData(columns: StackedColumns): uPlot.AlignedData {
  return [columns.starts.map((ms) => ms / 1000), ...cumulative(columns.values)]
}

const coloursOf = (columns: StackedColumns) => columns.keys.map((key, k) => keyColour(key, k))

/**
 * What a chart made once reads each time it is called: the latest callbacks, the metric its axis formats and its
 * keys' colours (so new figures whose keys rank differently are redrawn, not rebuilt).
 */
type ChartCallbacks = {
  readonly current: {
    onHover: (index: number | null) => void
    onDrawn: () => void
    metric: UsageMetric
    colours: readonly string[]
  }
}

function chartOptions(
  element: HTMLElement,
  period: UsagePeriod,
  colours: { readonly axis: string; readonly grid: string },
  keys: number,
  callbacks: ChartCallbacks,
): uPlot.Options {
  const half = PERIOD_SECONDS[period] / 2
  const format = (v: number) => (callbacks.current.metric === 'cost' ? formatMoney(v) : formatCompact(v))
  return {
    width: Math.max(320, element.clientWidth),
    height: HEIGHT,
    legend: { show: false },
    cursor: { drag: { x: false, y: false }, points: { show: false } },
    scales: {
      x: { time: true, range: (_u, min, max) => [min - half, max + half] },
      y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.05 : 1] },
    },
    axes: [
      { stroke: colours.axis, grid: { stroke: colours.grid, width: 1 }, ticks: { stroke: colours.grid } },
      {
        stroke: colours.axis,
        grid: { stroke: colours.grid, width: 1 },
        ticks: { stroke: colours.grid },
        size: 64,
        values: (_u, splits) => splits.map(format),
      },
    ],
    series: [
      {},
      // Scaled and hovered by uPlot, drawn by the draw hook.
      ...Array.from({ length: keys }, () => ({ paths: () => null, points: { show: false } })),
    ],
    hooks: {
      setCursor: [(u) => callbacks.current.onHover(u.cursor.idx ?? null)],
      draw: [
        (u) => {
          drawStackedBars(
            u,
            callbacks.current.colours,
            PERIOD_SECONDS[period],
            BAR_FILL,
            MAX_BAR_PX * uPlot.pxRatio,
          )
          callbacks.current.onDrawn()
        },
      ],
    },
  }
}

export interface UsageChartProps {
  readonly columns: StackedColumns
  readonly metric: UsageMetric
  readonly period: UsagePeriod
  /** The chart's accessible name; the table beside it carries the figures. */
  readonly label: string
  /** The period under the pointer (an index into columns.starts), or null when the pointer left. */
  readonly onHover: (index: number | null) => void
  /** Called once the canvas holds these columns (the dashboard's paint measurements). */
  readonly onDrawn: () => void
}

export function UsageChart({ columns, metric, period, label, onHover, onDrawn }: UsageChartProps) {
  const box = useRef<HTMLDivElement>(null)
  const plot = useRef<uPlot | null>(null)
  const colours = useThemeColours()
  const callbacks = useRef({ onHover, onDrawn, metric, colours: coloursOf(columns) })
  // The chart is made once per shape; its hooks call the latest callbacks without remaking it.
  useLayoutEffect(() => {
    callbacks.current = { onHover, onDrawn, metric, colours: coloursOf(columns) }
  }, [onHover, onDrawn, metric, columns])

  // A chart is made when its shape changes (the period, the number of keys, the theme); new figures, the other
  // metric's included, are given to the chart made (uPlot's setData redraws without rebuilding its axes and DOM).
  const shape = `${period}|${columns.keys.length}|${colours.axis}|${colours.grid}`
  const shown = useRef<{ readonly shape: string; readonly columns: StackedColumns } | null>(null)
  useLayoutEffect(() => {
    const element = box.current
    if (!element) return
    const chart = plot.current
    if (chart && shown.current?.shape === shape) {
      if (shown.current.columns !== columns) chart.setData(chartData(columns))
    } else {
      chart?.destroy()
      plot.current = new uPlot(
        chartOptions(element, period, colours, columns.keys.length, callbacks),
        chartData(columns),
        element,
      )
    }
    shown.current = { shape, columns }
  }, [shape, columns, period, colours])
  useEffect(
    () => () => {
      plot.current?.destroy()
      plot.current = null
    },
    [],
  )

  useEffect(() => {
    const element = box.current
    if (!element) return
    const observer = new ResizeObserver(() =>
      plot.current?.setSize({ width: Math.max(320, element.clientWidth), height: HEIGHT }),
    )
    observer.observe(element)
    return () => observer.disconnect()
  }, [])

  return (
    <div
      ref={box}
      className="usage-chart"
      role="img"
      aria-label={label}
      onMouseLeave={() => callbacks.current.onHover(null)}
    />
  )
}
