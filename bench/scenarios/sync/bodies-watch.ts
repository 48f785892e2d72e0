/**
 * Follows message bodies from A to B during the import, as the machines report them (`syncStatus`'s
 * `remote.bodies`, polled every 250 ms) and as B's repository holds them, until B's own search finds the phrase
 * planted in the body B fetches last (bodies.ts). Started with the import, so its times share the import's start.
 */
import type { Page } from '@playwright/test'
import { searchOn, syncStatus, type Machine, type MachineLook } from './machine-process'
import type { PlantedMessage } from './bodies'
import { PLANTED_QUERY } from './bodies'

const POLL_MS = 250
const TIMELINE_EVERY_MS = 10_000

/** Every 10 s while bodies move: what each machine says is left, and what B's repository holds. */
export interface BodiesPoint {
  readonly s: number
  readonly toStoreA: number | null
  readonly toFetchB: number | null
  readonly fetchedB: number
  readonly previewsB: number
}

/** Epoch ms of each moment, or null when it was not reached before the timeout. */
export interface BodiesTimes {
  readonly started: number
  /** A's write had ended and A reported no body left to store. */
  readonly aStoredAt: number | null
  readonly bFirstAt: number | null
  /** B held every message of A's and reported no body left to fetch. */
  readonly bAllAt: number | null
  /** B's search found the planted phrase in the planted message. */
  readonly foundAt: number | null
  readonly planted: PlantedMessage | null
  readonly timeline: readonly BodiesPoint[]
  /** The last problem each machine reported while bodies moved, if any. */
  readonly problems: { readonly a: string | null; readonly b: string | null }
}

export interface BodiesWatcher {
  /** Starts the clock and the polling, at the start of the import's write. */
  start(started: number): void
  /** A's write ended: what it planted, and how many messages B must hold. */
  written(planted: PlantedMessage, messagesOnA: number): void
  /** Resolves once B's search found the phrase, or after `timeoutMs` from the start. */
  readonly done: Promise<BodiesTimes>
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export function watchBodies(parts: {
  a: Machine
  b: Machine
  lookB: MachineLook
  timeoutMs: number
  log: (line: string) => void
}): BodiesWatcher {
  const { a, b, lookB } = parts
  let begin: (started: number) => void = () => undefined
  const begun = new Promise<number>((resolve) => (begin = resolve))
  let target: { planted: PlantedMessage; messages: number } | null = null

  const follow = async (started: number): Promise<BodiesTimes> => {
    let aStoredAt: number | null = null
    let bFirstAt: number | null = null
    let bAllAt: number | null = null
    let foundAt: number | null = null
    const problems = { a: null as string | null, b: null as string | null }
    const timeline: BodiesPoint[] = []
    let lastPoint = 0
    while (foundAt === null && Date.now() - started < parts.timeoutMs) {
      const [statusA, statusB] = await Promise.all([syncStatus(a), syncStatus(b)])
      const now = Date.now()
      const bodiesA = statusA.remote?.bodies ?? null
      const bodiesB = statusB.remote?.bodies ?? null
      problems.a = bodiesA?.problem ?? problems.a
      problems.b = bodiesB?.problem ?? problems.b
      if (target !== null && aStoredAt === null && bodiesA?.toStore === 0) aStoredAt = now
      if (bFirstAt === null && lookB.anyBodyFetched()) bFirstAt = now
      if (
        target !== null &&
        bAllAt === null &&
        bodiesB?.toFetch === 0 &&
        lookB.counts().messages >= target.messages
      )
        bAllAt = now
      if (target !== null && bAllAt !== null) {
        const { planted } = target
        const { hits } = await searchOn(b, PLANTED_QUERY)
        if (
          hits.some((h) => h.messageId === planted.messageId && h.conversationId === planted.conversationId)
        )
          foundAt = Date.now()
      }
      if (now - lastPoint >= TIMELINE_EVERY_MS) {
        lastPoint = now
        const point: BodiesPoint = {
          s: Math.round((now - started) / 1000),
          toStoreA: bodiesA?.toStore ?? null,
          toFetchB: bodiesB?.toFetch ?? null,
          ...(({ fetched, previews }) => ({ fetchedB: fetched, previewsB: previews }))(lookB.bodies()),
        }
        timeline.push(point)
        parts.log(`sync: bodies ${JSON.stringify(point)}`)
      }
      await pause(POLL_MS)
    }
    return {
      started,
      aStoredAt,
      bFirstAt,
      bAllAt,
      foundAt,
      planted: target?.planted ?? null,
      timeline,
      problems,
    }
  }

  return {
    start: (started) => begin(started),
    written: (planted, messages) => {
      target = { planted, messages }
    },
    done: begun.then(follow),
  }
}

/**
 * Records every long task of the page from its first script on, with its start on the epoch clock, so the bench
 * can pick those of a window it learns of afterwards. Page code kept as text, as in ../ui/page-probes.ts.
 */
export const LONG_TASK_RECORDER = `(() => {
  window.__longTasks = []
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push([performance.timeOrigin + e.startTime, e.duration])
  }).observe({ type: 'longtask', buffered: true })
})()`

export interface LongTask {
  /** Epoch ms (the page's clock) at which it started. */
  readonly at: number
  readonly ms: number
}

/** Every long task the page recorded so far. */
export async function longTasksOf(page: Page): Promise<LongTask[]> {
  const all = (await page.evaluate('window.__longTasks')) as [number, number][]
  return all.map(([at, ms]) => ({ at, ms }))
}
