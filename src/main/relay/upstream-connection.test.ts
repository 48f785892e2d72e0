/** How a push is cut into WebSocket messages that stay under the Worker's message limit. */
import { describe, expect, it } from 'vitest'
import { splitBySize } from './upstream-connection'

const item = (bytes: number) => 'x'.repeat(bytes - 2) // JSON adds the two quotes

describe('splitBySize', () => {
  it('keeps parts under the limit, in order, losing and repeating nothing', () => {
    const batch = Array.from({ length: 100 }, (_, i) => item(30_000 + i))
    const parts = splitBySize(batch, 880_000)
    expect(parts.length).toBe(4)
    expect(parts.flat()).toEqual(batch)
    for (const part of parts)
      expect(part.reduce((sum, text) => sum + text.length + 2, 0)).toBeLessThanOrEqual(880_000)
  })

  it('sends an event larger than the limit alone, and a small batch whole', () => {
    expect(splitBySize([item(10), item(1_000_000), item(10)], 880_000).map((p) => p.length)).toEqual([
      1, 1, 1,
    ])
    expect(splitBySize([item(10), item(10)], 880_000)).toHaveLength(1)
    expect(splitBySize([], 880_000)).toEqual([])
  })
})
