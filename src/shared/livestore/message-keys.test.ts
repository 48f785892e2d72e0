import { describe, expect, it } from 'vitest'
import { conversationKey, messageKey, ROW_SUFFIX_BITS, rowPrefix, rowSuffix } from './message-keys'

describe('message keys', () => {
  // Every client must compute the keys an existing state holds: a changed hash would count every message appended
  // again twice. Change these values only with a change of the state's tables, which rebuilds every state.
  it('are the same on every client and in every version', () => {
    expect(conversationKey('c1')).toBe(2306284273831256)
    expect(messageKey('c1', 'm1')).toBe(5277985528485956)
  })

  it('make rows whose prefix and suffix fit the 63 bits of a rowid', () => {
    expect(rowPrefix('c1')).toBe(2306284273831256 % 2 ** 20)
    expect(rowSuffix('c1', 'm1')).toBe(5277985528485956 % 2 ** ROW_SUFFIX_BITS)
    expect(ROW_SUFFIX_BITS + 20).toBe(63)
  })

  it('are safe integers, and keep apart ids that only their boundary tells apart', () => {
    const keys = [messageKey('ab', 'c'), messageKey('a', 'bc'), messageKey('', ''), conversationKey('')]
    for (const key of keys) expect(Number.isSafeInteger(key) && key >= 0).toBe(true)
    expect(new Set(keys).size).toBe(keys.length)
    expect(messageKey('c1', 'm1')).not.toBe(messageKey('c2', 'm1'))
  })

  it('differ for 400,000 messages of 2,000 conversations', () => {
    const seen = new Set<number>()
    for (let c = 0; c < 2_000; c += 1)
      for (let m = 0; m < 100; m += 1)
        seen.add(messageKey(`conversation-${c}`, `${c}-${m}`)).add(messageKey(`conversation-${c}`, `m${m}`))
    expect(seen.size).toBe(400_000)
  })
})
