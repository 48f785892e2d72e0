/** What an edit's author had seen (seen-head.ts): the smaller of the view's head and the backend-confirmed head. */
import { describe, expect, it } from 'vitest'
import { globalSeq, seenHead } from './seen-head'

describe('the head an edit has seen', () => {
  it("reads LiveStore's heads, global part only (bad input: an empty or foreign string reads as 0)", () => {
    expect(globalSeq('e12')).toBe(12)
    expect(globalSeq('e12.3')).toBe(12)
    expect(globalSeq('e0')).toBe(0)
    expect(globalSeq('')).toBe(0)
    expect(globalSeq('12')).toBe(0)
  })

  it('is what the view has, but never more than the backend confirmed', () => {
    // The view has #40; the leader's own events wait under provisional numbers above the confirmed #37.
    expect(seenHead('e40', 37)).toBe(37)
    // The backend confirmed #45; the view has applied only up to #40.
    expect(seenHead('e40.2', 45)).toBe(40)
    expect(seenHead('e40', 40)).toBe(40)
  })
})
