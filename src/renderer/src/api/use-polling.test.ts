/**
 * The polling loop under fake timers: when it asks, that a slow answer is never overlapped by the next question,
 * that a hidden page asks nothing, and that an answer arriving after stop is dropped.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { startPolling } from './use-polling'

/** A poller whose answers the test gives, one per question, in order; `heard` is what reached onAnswer. */
function poller(everyMs: number, visible: () => boolean = () => true) {
  const pending: ((n: number) => void)[] = []
  const heard: number[] = []
  let asked = 0
  const ask = () =>
    new Promise<number>((resolve) => {
      asked += 1
      pending.push(resolve)
    })
  const stop = startPolling(ask, (n) => heard.push(n), everyMs, visible)
  return {
    heard,
    stop,
    asked: () => asked,
    answer: async (n: number) => {
      pending.shift()?.(n)
      await vi.advanceTimersByTimeAsync(0)
    },
  }
}

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('polling', () => {
  it('asks at once, then the interval after each answer, never while one is outstanding', async () => {
    const calls = poller(250)
    expect(calls.asked()).toBe(1)
    // Bad input: a main side slower than the interval; the loop waits for it rather than asking again.
    await vi.advanceTimersByTimeAsync(1_000)
    expect(calls.asked()).toBe(1)
    await calls.answer(1)
    expect(calls.heard).toEqual([1])
    await vi.advanceTimersByTimeAsync(249)
    expect(calls.asked()).toBe(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(calls.asked()).toBe(2)
    await calls.answer(2)
    expect(calls.heard).toEqual([1, 2])
    calls.stop()
  })

  it('asks nothing while the page is hidden, and asks on the first tick after it is shown', async () => {
    let visible = false
    const calls = poller(1_000, () => visible)
    await vi.advanceTimersByTimeAsync(5_000)
    expect(calls.asked()).toBe(0)
    visible = true
    await vi.advanceTimersByTimeAsync(1_000)
    expect(calls.asked()).toBe(1)
    calls.stop()
  })

  it('drops an answer that arrives after it was stopped, and asks no more', async () => {
    const calls = poller(250)
    calls.stop()
    await calls.answer(7)
    await vi.advanceTimersByTimeAsync(2_000)
    expect(calls.heard).toEqual([])
    expect(calls.asked()).toBe(1)
  })
})
