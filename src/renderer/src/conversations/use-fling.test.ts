import { describe, expect, it } from 'vitest'
import { isFling } from './use-fling'

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
