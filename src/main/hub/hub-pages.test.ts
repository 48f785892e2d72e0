/**
 * Reads of the hub's eventlog are bounded in bytes as well as in events: a message event carries up to 500
 * messages, so a page of a hundred of them (the bad input here: events of 300 KB each) was 30 MB of JSON to read,
 * parse and send at once, several times over for a client catching up.
 */
import { describe, expect, it } from 'vitest'
import { useScratch } from '../repository/test-support/scratch'
import { LIVE_PAGE_EVENTS, LIVE_TAIL_EVENTS, makeHub, type PullPage } from './hub'
import { hostIdentity } from './hub-credentials'
import { MAX_PUSH_BATCH, openHubEventlog, READ_BYTES, type GlobalEvent } from './hub-eventlog'

const scratch = useScratch()
const EVENT_BYTES = 300_000

const bigEvent = (seqNum: number): GlobalEvent => ({
  name: 'v1.Test',
  args: { text: String(seqNum % 10).repeat(EVENT_BYTES) },
  seqNum,
  parentSeqNum: seqNum - 1,
  clientId: 'client-a',
  sessionId: 'session',
})

async function logWith(count: number) {
  const eventlog = await openHubEventlog(scratch.open().db)
  const events = Array.from({ length: count }, (_, i) => bigEvent(i + 1))
  expect(await eventlog.append(events, hostIdentity('main'))).toEqual({ kind: 'appended', head: count })
  return eventlog
}

const argsBytes = (events: readonly { args: unknown }[]) =>
  events.reduce((sum, event) => sum + JSON.stringify(event.args).length, 0)

describe('reading the hub eventlog', () => {
  it('stops before the byte budget, and returns the first event alone when it is larger', async () => {
    const eventlog = await logWith(12)
    expect((await eventlog.read(0, 100, 1_000_000)).map((e) => e.seqNum)).toEqual([1, 2, 3])
    expect((await eventlog.read(3, 100, 100_000)).map((e) => e.seqNum)).toEqual([4])
    expect(await eventlog.read(0, 100)).toHaveLength(12)
    expect((await eventlog.read(10, 100, 1_000_000)).map((e) => e.seqNum)).toEqual([11, 12])
  })

  it('pages a client far behind in full pages and the live tail in short ones', async () => {
    const eventlog = await openHubEventlog(scratch.open().db)
    const count = LIVE_TAIL_EVENTS + 3 * MAX_PUSH_BATCH
    const small = (seqNum: number): GlobalEvent => ({ ...bigEvent(seqNum), args: { text: 'x' } })
    for (let from = 1; from <= count; from += MAX_PUSH_BATCH) {
      const batch = Array.from({ length: MAX_PUSH_BATCH }, (_, i) => small(from + i))
      await eventlog.append(batch, hostIdentity('main'))
    }
    const hub = await makeHub(eventlog)
    const pages: PullPage[] = []
    await hub.pull(0, false, async (page) => void pages.push(page), new AbortController().signal)
    const sizes = pages.map((page) => page.events.length)
    // Full pages while more than the live tail is left, then short ones: every event once, in order.
    expect(sizes.slice(0, 3)).toEqual([MAX_PUSH_BATCH, MAX_PUSH_BATCH, MAX_PUSH_BATCH])
    expect(sizes.slice(3).every((size) => size <= LIVE_PAGE_EVENTS)).toBe(true)
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(count)
    expect(pages.flatMap((page) => page.events.map((e) => e.seqNum))).toEqual(
      Array.from({ length: count }, (_, i) => i + 1),
    )
    // The main store asks for full pages throughout.
    const full: number[] = []
    const signal = new AbortController().signal
    await hub.pull(0, false, async (page) => void full.push(page.events.length), signal, MAX_PUSH_BATCH)
    expect(full).toEqual(Array.from({ length: count / MAX_PUSH_BATCH }, () => MAX_PUSH_BATCH))
  })

  it('pages a pull by bytes: every page within the budget, every event once and in order', async () => {
    const count = Math.ceil((3 * READ_BYTES) / EVENT_BYTES)
    const hub = await makeHub(await logWith(count))
    const pages: PullPage[] = []
    await hub.pull(0, false, async (page) => void pages.push(page), new AbortController().signal)
    expect(pages.length).toBeGreaterThanOrEqual(3)
    for (const page of pages) expect(argsBytes(page.events)).toBeLessThanOrEqual(READ_BYTES)
    expect(pages.flatMap((page) => page.events.map((e) => e.seqNum))).toEqual(
      Array.from({ length: count }, (_, i) => i + 1),
    )
    expect(pages.at(-1)?.remaining).toBe(0)
  })
})
