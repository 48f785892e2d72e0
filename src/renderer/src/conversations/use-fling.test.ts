import { describe, expect, it } from 'vitest'
import { drawnAsFling, isFling } from './use-fling'

describe('a fling', () => {
  it('is more than a screen at once, either way, while scrolling', () => {
    expect(isFling(2_900, 900, true)).toBe(true)
    expect(isFling(-2_900, 900, true)).toBe(true)
  })

  it('is not a wheel step, a screenful, or the moment scrolling stops', () => {
    expect(isFling(120, 900, true)).toBe(false)
    expect(isFling(900, 900, true)).toBe(false)
    expect(isFling(2_900, 900, false)).toBe(false)
  })
})

describe('a frame drawn as a fling', () => {
  const frame = { viewHeight: 900, scrolling: true, flungAtLastEvent: false }

  it("is the fling's first frame, drawn before the scroll event's own answer has arrived", () => {
    expect(drawnAsFling({ ...frame, moved: 2_900 })).toBe(true)
  })

  it('goes on while a fling under way slows, until its event says so, and ends when scrolling stops', () => {
    expect(drawnAsFling({ ...frame, moved: 120, flungAtLastEvent: true })).toBe(true)
    expect(drawnAsFling({ ...frame, moved: 0, flungAtLastEvent: true, scrolling: false })).toBe(false)
  })

  it('is not a wheel step or a frame drawn for new data while the list is still', () => {
    expect(drawnAsFling({ ...frame, moved: 120 })).toBe(false)
    expect(drawnAsFling({ ...frame, moved: 0, scrolling: false })).toBe(false)
  })
})
