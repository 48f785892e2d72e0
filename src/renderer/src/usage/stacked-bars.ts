/**
 * The usage chart's stacked bars, drawn on uPlot's canvas as one rectangle per key and period.
 *
 * Why not uPlot's bars paths: they give each key a Path2D holding a rectangle per period, and stacking them means
 * drawing every cumulative band over the ones below it. Without a GPU, Chromium rasterises those paths on the
 * page's main thread when the frame is painted: on the bench's two-year daily chart (730 periods, 7 keys) that was
 * 82 ms of every redraw (CanvasRenderingContext2D::FinalizeFrame in a trace), most of a filter change's 100 ms.
 * Plain rectangles that do not overlap cost a few milliseconds for the same picture.
 */

/** A chart's bars as canvas pixels: what segmentsOf needs, apart from uPlot. */
export interface BarsFrame {
  /** Each period's centre on the x axis. */
  readonly centres: readonly number[]
  /** bounds[k][i]: the y of the sum of keys 0..k in period i (key 0 at the bottom), so each bound is above the last. */
  readonly bounds: readonly (readonly number[])[]
  /** The y of zero. */
  readonly zero: number
  readonly barWidth: number
}

export interface Segment {
  readonly key: number
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

/**
 * Every visible segment: key k in period i spans from the bound below it (zero for the first key) up to its own.
 * Edges are rounded to whole pixels once, so neighbouring segments share them: no seam, no overlap.
 */
export function segmentsOf(frame: BarsFrame): Segment[] {
  const width = Math.max(1, Math.round(frame.barWidth))
  const lefts = frame.centres.map((centre) => Math.round(centre - width / 2))
  // Key by key (one fill colour each), each period's stack growing from the top of the key below.
  const below = lefts.map(() => Math.round(frame.zero))
  const segments: Segment[] = []
  frame.bounds.forEach((bound, key) => {
    lefts.forEach((x, i) => {
      const bottom = below[i] ?? Math.round(frame.zero)
      const top = Math.round(bound[i] ?? frame.zero)
      if (top < bottom) segments.push({ key, x, y: top, width, height: bottom - top })
      below[i] = Math.min(bottom, top)
    })
  })
  return segments
}

/** The part of uPlot the drawing reads (uPlot's own type, narrowed so a test can hand it a plain canvas). */
export interface BarsChart {
  readonly ctx: CanvasRenderingContext2D
  readonly data: readonly (ArrayLike<number | null | undefined> | undefined)[]
  readonly bbox: {
    readonly left: number
    readonly top: number
    readonly width: number
    readonly height: number
  }
  valToPos(value: number, scale: string, canvasPixels?: boolean): number
}

/**
 * Draws u.data's series (cumulative sums, bottom key first, x in seconds) as stacked bars `fill` wide of each
 * period (`periodSeconds`), at most `maxWidth` canvas pixels, clipped to the plot.
 */
export function drawStackedBars(
  u: BarsChart,
  colours: readonly string[],
  periodSeconds: number,
  fill: number,
  maxWidth: number,
): void {
  const xs = Array.from(u.data[0] ?? [], (x) => x ?? 0)
  const first = xs[0]
  if (first === undefined) return
  const pos = (value: number, scale: string) => u.valToPos(value, scale, true)
  const frame: BarsFrame = {
    centres: xs.map((x) => pos(x, 'x')),
    bounds: u.data.slice(1).map((series) => xs.map((_, i) => pos(series?.[i] ?? 0, 'y'))),
    zero: pos(0, 'y'),
    barWidth: Math.min(maxWidth, fill * (pos(first + periodSeconds, 'x') - pos(first, 'x'))),
  }
  const { ctx, bbox } = u
  ctx.save()
  ctx.beginPath()
  ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height)
  ctx.clip()
  let current = -1
  for (const segment of segmentsOf(frame)) {
    if (segment.key !== current) {
      current = segment.key
      ctx.fillStyle = colours[segment.key] ?? '#868e96'
    }
    ctx.fillRect(segment.x, segment.y, segment.width, segment.height)
  }
  ctx.restore()
}
