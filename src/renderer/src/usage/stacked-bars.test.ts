import { describe, expect, it } from 'vitest'
import { drawStackedBars, segmentsOf, type BarsChart } from './stacked-bars'

describe('segmentsOf', () => {
  it('stacks each key on the one below, edges shared to the pixel, key by key', () => {
    // Canvas y grows downwards: zero at 200, key 0 up to 150.4, keys 0+1 up to 100.6 in the first period.
    const segments = segmentsOf({
      centres: [10, 30.5],
      bounds: [
        [150.4, 180],
        [100.6, 180],
      ],
      zero: 200,
      barWidth: 8.4,
    })
    expect(segments).toEqual([
      { key: 0, x: 6, y: 150, width: 8, height: 50 },
      { key: 0, x: 27, y: 180, width: 8, height: 20 },
      // Key 1 is empty in the second period (its bound equals the one below): nothing drawn there.
      { key: 1, x: 6, y: 101, width: 8, height: 49 },
    ])
  })

  it('draws nothing for a period whose sums are all zero, and never a bar narrower than a pixel', () => {
    const segments = segmentsOf({ centres: [5], bounds: [[200], [200]], zero: 200, barWidth: 0.2 })
    expect(segments).toEqual([])
    const thin = segmentsOf({ centres: [5], bounds: [[190]], zero: 200, barWidth: 0.2 })
    expect(thin[0]?.width).toBe(1)
  })
})

describe('drawStackedBars', () => {
  it("fills each key in its colour, inside the plot's clip, a bar width from the period", () => {
    const calls: string[] = []
    const ctx = {
      save: () => calls.push('save'),
      restore: () => calls.push('restore'),
      beginPath: () => undefined,
      rect: (x: number, y: number, w: number, h: number) => calls.push(`clip ${x} ${y} ${w} ${h}`),
      clip: () => undefined,
      set fillStyle(colour: string) {
        calls.push(`fill ${colour}`)
      },
      fillRect: (x: number, y: number, w: number, h: number) => calls.push(`rect ${x} ${y} ${w} ${h}`),
    }
    // One pixel per second on x from 0; y: value v at 100 - v.
    const chart: BarsChart = {
      ctx: ctx as unknown as CanvasRenderingContext2D,
      data: [
        [10, 20],
        [30, 0],
        [50, 10],
      ],
      bbox: { left: 0, top: 0, width: 100, height: 100 },
      valToPos: (value, scale) => (scale === 'x' ? value : 100 - value),
    }
    drawStackedBars(chart, ['red', 'blue'], 10, 0.8, 48)
    expect(calls).toEqual([
      'save',
      'clip 0 0 100 100',
      'fill red',
      'rect 6 70 8 30',
      'fill blue',
      'rect 6 50 8 20',
      'rect 16 90 8 10',
      'restore',
    ])
  })
})
