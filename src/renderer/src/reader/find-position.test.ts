import { describe, expect, it } from 'vitest'
import type { ConversationFind } from '../../../shared/api/contract'
import { firstFrom, positionOf, stepped, targetAt } from './find-position'

/** Messages 3 (two occurrences), 10 (one) and 250 (three): six occurrences, numbered 0 to 5. */
const find: ConversationFind = {
  matches: [
    { messageId: 'm3', ordinal: 3, count: 2 },
    { messageId: 'm10', ordinal: 10, count: 1 },
    { messageId: 'm250', ordinal: 250, count: 3 },
  ],
  total: 6,
  truncated: false,
}

describe('find positions', () => {
  it('names the message and the occurrence within it for every position, and nothing past the end', () => {
    expect([0, 1, 2, 3, 4, 5].map((p) => targetAt(find, p))).toEqual([
      { messageId: 'm3', ordinal: 3, occurrence: 0 },
      { messageId: 'm3', ordinal: 3, occurrence: 1 },
      { messageId: 'm10', ordinal: 10, occurrence: 0 },
      { messageId: 'm250', ordinal: 250, occurrence: 0 },
      { messageId: 'm250', ordinal: 250, occurrence: 1 },
      { messageId: 'm250', ordinal: 250, occurrence: 2 },
    ])
    expect(targetAt(find, 6)).toBeNull()
    expect(targetAt({ matches: [], total: 0, truncated: false }, 0)).toBeNull()
  })

  it('starts at the first occurrence at or after the message in view, and wraps to the first past the last', () => {
    expect(firstFrom(find, 0)).toBe(0)
    expect(firstFrom(find, 4)).toBe(2)
    expect(firstFrom(find, 10)).toBe(2)
    expect(firstFrom(find, 11)).toBe(3)
    expect(firstFrom(find, 900)).toBe(0)
  })

  it('finds an occurrence again in a new answer, clamped to what its message holds now, or says it is gone', () => {
    expect(positionOf(find, { messageId: 'm250', ordinal: 250, occurrence: 1 })).toBe(4)
    expect(positionOf(find, { messageId: 'm10', ordinal: 10, occurrence: 4 })).toBe(2)
    expect(positionOf(find, { messageId: 'gone', ordinal: 7, occurrence: 0 })).toBe(-1)
  })

  it('steps both ways, wrapping at either end', () => {
    expect(stepped(0, 1, 6)).toBe(1)
    expect(stepped(5, 1, 6)).toBe(0)
    expect(stepped(0, -1, 6)).toBe(5)
    expect(stepped(3, -1, 6)).toBe(2)
  })
})
