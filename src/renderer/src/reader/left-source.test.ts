import { describe, expect, it } from 'vitest'
import { leftSourceMarks, leftSourceText } from './left-source'

const DAY = 86_400_000
const day1 = Date.UTC(2025, 4, 12, 9)
const day2 = day1 + DAY
/** Days in UTC, so the test does not depend on the machine's time zone. */
const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10)
const marksOf = (times: readonly (number | null)[]) =>
  leftSourceMarks(
    times.map((leftSourceAt) => ({ leftSourceAt })),
    dayOf,
  )

describe('leftSourceMarks', () => {
  it('marks nothing in a conversation whose source holds every message', () => {
    expect(marksOf([null, null, null])).toEqual([null, null, null])
    expect(marksOf([])).toEqual([])
  })

  it('gives a run of messages gone on one day one mark, on its first message, with the first time', () => {
    // Found gone a few minutes apart by two imports of the same day: one run, dated by its first.
    expect(marksOf([day1, day1 + 60_000, day1 + 120_000, null])).toEqual([
      { at: day1, first: true },
      { at: day1, first: false },
      { at: day1, first: false },
      null,
    ])
  })

  it('starts a new run after a message still in its source', () => {
    expect(marksOf([day1, null, day1])).toEqual([{ at: day1, first: true }, null, { at: day1, first: true }])
  })

  it('starts a new run where the day changes, so each condensation shows its own date', () => {
    expect(marksOf([day1, day1, day2, day2])).toEqual([
      { at: day1, first: true },
      { at: day1, first: false },
      { at: day2, first: true },
      { at: day2, first: false },
    ])
  })

  it('marks a conversation that starts and ends with gone messages', () => {
    expect(marksOf([day2, null, null, day1])).toEqual([
      { at: day2, first: true },
      null,
      null,
      { at: day1, first: true },
    ])
  })

  it('treats 0 (the epoch) as a time, not as "still in the source"', () => {
    expect(marksOf([0])).toEqual([{ at: 0, first: true }])
  })
})

describe('leftSourceText', () => {
  it('names the source and the date', () => {
    expect(leftSourceText('Roo Code', '12 May 2025')).toBe('No longer in Roo Code since 12 May 2025')
  })
})
