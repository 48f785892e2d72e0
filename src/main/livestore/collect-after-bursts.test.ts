import { describe, expect, it } from 'vitest'
import { burstCollector, fullCollection } from './collect-after-bursts'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function counted(events: number, quietMs: number) {
  let collections = 0
  const lines: string[] = []
  const collector = burstCollector({
    events,
    quietMs,
    collect: () => {
      collections += 1
    },
    log: (line) => lines.push(line),
  })
  return { collector, collections: () => collections, lines }
}

describe('a collection after a burst of commits', () => {
  it('collects once, when commits have stopped, after a burst', async () => {
    const { collector, collections, lines } = counted(10, 30)
    for (let i = 0; i < 4; i += 1) collector.committed(3)
    expect(collections()).toBe(0)
    await sleep(80)
    expect(collections()).toBe(1)
    expect(lines).toEqual([expect.stringMatching(/^memory: a full collection after 12 events took \d+ ms/)])
    await sleep(80)
    expect(collections()).toBe(1)
  })

  it('does not collect after fewer events than a burst', async () => {
    const { collector, collections } = counted(10, 30)
    collector.committed(9)
    await sleep(80)
    expect(collections()).toBe(0)
  })

  it('waits while commits go on, and counts the next burst afresh', async () => {
    const { collector, collections } = counted(10, 60)
    collector.committed(10)
    for (let i = 0; i < 5; i += 1) {
      await sleep(20)
      collector.committed(1)
    }
    expect(collections()).toBe(0)
    await sleep(120)
    expect(collections()).toBe(1)
    collector.committed(9)
    await sleep(120)
    expect(collections()).toBe(1)
  })

  it('says when a collection fails, and goes on', async () => {
    const lines: string[] = []
    const collector = burstCollector({
      events: 1,
      quietMs: 10,
      collect: () => Promise.reject(new Error('no inspector')),
      log: (line) => lines.push(line),
    })
    collector.committed(1)
    await sleep(50)
    expect(lines).toEqual(['memory: a full collection failed: Error: no inspector'])
  })

  it('does not collect once disposed', async () => {
    const { collector, collections } = counted(1, 30)
    collector.committed(5)
    collector.dispose()
    await sleep(80)
    expect(collections()).toBe(0)
  })
})

describe("V8's full collection", () => {
  it('frees the garbage of the heap and gives its pages back', async () => {
    await fullCollection()
    const before = process.memoryUsage().heapUsed
    let garbage: { text: string }[] | null = Array.from({ length: 300_000 }, (_, i) => ({ text: `row ${i}` }))
    expect(garbage.length).toBe(300_000)
    const grown = process.memoryUsage().heapUsed
    const reserved = process.memoryUsage().heapTotal
    garbage = null
    await fullCollection()
    const after = process.memoryUsage()
    expect(grown - before).toBeGreaterThan(10 * 2 ** 20)
    expect(after.heapUsed - before).toBeLessThan((grown - before) / 4)
    expect(after.heapTotal).toBeLessThan(reserved - 10 * 2 ** 20)
  })
})
