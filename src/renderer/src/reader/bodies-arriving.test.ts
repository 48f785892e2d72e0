import { describe, expect, it } from 'vitest'
import type { Message } from '../../../shared/domain'
import { waitingSpan, withArrivedBodies } from './bodies-arriving'

const message = (ordinal: number, bodyElsewhere: boolean, text = `message ${ordinal}`): Message => ({
  id: `c#${ordinal}`,
  conversationId: 'c',
  ordinal,
  role: 'assistant',
  kind: 'text',
  createdAt: null,
  text,
  content: null,
  deviceId: null,
  parentId: null,
  metadata: {},
  bodyElsewhere,
  leftSourceAt: null,
})

describe('waitingSpan', () => {
  it('is null when every loaded message is whole', () => {
    expect(waitingSpan([message(0, false), message(1, false)])).toBeNull()
    expect(waitingSpan([])).toBeNull()
  })

  it('runs from just before the first waiting message to the last, whole ones between included', () => {
    const loaded = [
      message(0, false),
      message(1, true),
      message(2, false),
      message(3, true),
      message(4, false),
    ]
    expect(waitingSpan(loaded)).toEqual({ afterOrdinal: 0, throughOrdinal: 3, count: 3 })
  })

  it('reads from the very start when the first message waits (ordinal 0 asks after -1)', () => {
    expect(waitingSpan([message(0, true), message(1, false)])).toEqual({
      afterOrdinal: -1,
      throughOrdinal: 0,
      count: 1,
    })
  })
})

describe('withArrivedBodies', () => {
  it('swaps the waiting messages whose bodies arrived, and keeps the others as they were', () => {
    const loaded = [message(0, false), message(1, true, 'preview'), message(2, true, 'preview')]
    const next = withArrivedBodies(loaded, [message(1, false, 'the whole body'), message(2, true, 'preview')])
    expect(next.map((m) => m.text)).toEqual(['message 0', 'the whole body', 'preview'])
    expect(next[0]).toBe(loaded[0])
    expect(next[2]).toBe(loaded[2])
  })

  it('answers the same array when no body arrived, so nothing redraws', () => {
    const loaded = [message(0, false), message(1, true, 'preview')]
    expect(withArrivedBodies(loaded, [message(0, false, 'changed'), message(1, true)])).toBe(loaded)
  })

  it('never puts a preview back over a whole message', () => {
    const loaded = [message(0, false, 'the whole body')]
    expect(withArrivedBodies(loaded, [message(0, true, 'preview')])).toBe(loaded)
  })
})
