/**
 * The sync hub's core, whatever carries its traffic (in-process for the main store, WebSocket for the renderer
 * and device clients): pushes go through the eventlog's serialised append, every accepted batch wakes every live
 * pull (the pusher's own included: that echo is how a LiveStore client learns its events were accepted), and
 * pulls page through the eventlog from their cursor.
 */
import type { HubEventlog, GlobalEvent, StoredEvent, AppendOutcome } from './hub-eventlog'
import { MAX_PUSH_BATCH, READ_BYTES } from './hub-eventlog'
import type { ClientIdentity } from './hub-credentials'
import { pushRefusal } from './push-policy'

/**
 * Events per page for a client near the head. A page reaches a window's main thread as one task, at about 2 ms an
 * event there (LiveStore materialising with changesets), so while another machine's import streams in, pages of
 * MAX_PUSH_BATCH made 200–700 ms tasks in the window; short pages keep each task short. A client further behind
 * than LIVE_TAIL_EVENTS (a first sync, a machine back from a trip) takes full pages: fewer refreshes of its queries.
 * The main store, with no window to keep responsive, takes full pages throughout (in-process-sync.ts): each page is
 * a merge in its leader, whose cost grows with the events it has not yet had confirmed.
 */
export const LIVE_PAGE_EVENTS = 20
export const LIVE_TAIL_EVENTS = 500

export type PushOutcome =
  | AppendOutcome
  /** The client last synced with a different backend (this one was reset or replaced). */
  | { readonly kind: 'backend-mismatch'; readonly expected: string; readonly received: string }

export interface PullPage {
  readonly events: readonly StoredEvent[]
  /** Events after this page that existed when it was read; 0 ends a sequence of pages (LiveStore's NoMore). */
  readonly remaining: number
}

export interface HubStats {
  pushes: number
  /** Pushes answered "server ahead": a client that must pull, rebase and push again. */
  serverAhead: number
  /** Pushes refused for what they said (push-policy.ts) or how they were formed. */
  refused: number
  /** Pulls being served now: every one ends with its client's socket. */
  pullsRunning: number
}

export interface PushOptions {
  /** Who the connection authenticated as. */
  readonly identity: ClientIdentity
  /** The backend the client last synced with, when it says. */
  readonly clientBackendId?: string | undefined
  /** The client id this connection pushed with before. */
  readonly pinnedClientId?: string | null
}

export interface Hub {
  readonly backendId: string
  readonly stats: Readonly<HubStats>
  readonly eventlog: HubEventlog
  push(batch: readonly GlobalEvent[], options: PushOptions): Promise<PushOutcome>
  /**
   * Pages of events after `cursor` (at least one page, possibly empty), then, when `live`, each batch as it is
   * accepted, until `signal` aborts. `emit` may wait (backpressure); pages are never skipped or repeated.
   * `livePageEvents` bounds the pages of the live tail (LIVE_PAGE_EVENTS unless said).
   */
  pull(
    cursor: number,
    live: boolean,
    emit: (page: PullPage) => Promise<void>,
    signal: AbortSignal,
    livePageEvents?: number,
  ): Promise<void>
  /**
   * Calls `listener` after each accepted batch, on a later turn than the push, for whoever reads the eventlog
   * outside a pull (the bridge applies new events to SQL); returns how to stop.
   */
  onAppended(listener: () => void): () => void
  /** An append made outside `push` (a relay's replica of the remote) reached `head`: wakes pulls as a push does. */
  noteAppended(head: number): void
}

/** `reservedClientIds`: client ids only the host may push with (the main store's). */
export async function makeHub(
  eventlog: HubEventlog,
  reservedClientIds: ReadonlySet<string> = new Set(),
): Promise<Hub> {
  let head = await eventlog.head()
  const waiters = new Set<() => void>()
  const listeners = new Set<() => void>()
  const wake = () => {
    for (const waiter of [...waiters]) waiter()
    for (const listener of [...listeners]) listener()
  }
  /** Resolves when the head moves past `after` or the signal aborts. */
  const appendedAfter = (after: number, signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      if (head > after || signal.aborted) return resolve()
      const done = () => {
        waiters.delete(done)
        signal.removeEventListener('abort', done)
        resolve()
      }
      waiters.add(done)
      signal.addEventListener('abort', done)
    })

  const stats: HubStats = { pushes: 0, serverAhead: 0, refused: 0, pullsRunning: 0 }
  return {
    backendId: eventlog.backendId,
    eventlog,
    stats,
    async push(batch, { identity, clientBackendId, pinnedClientId = null }) {
      stats.pushes += 1
      if (clientBackendId !== undefined && clientBackendId !== eventlog.backendId)
        return { kind: 'backend-mismatch', expected: eventlog.backendId, received: clientBackendId }
      const refusal = pushRefusal(batch, { identity, pinnedClientId, reservedClientIds })
      if (refusal !== null) {
        stats.refused += 1
        return { kind: 'refused', reason: refusal }
      }
      const outcome = await eventlog.append(batch, identity)
      if (outcome.kind === 'server-ahead') stats.serverAhead += 1
      if (outcome.kind === 'refused' || outcome.kind === 'invalid') stats.refused += 1
      if (outcome.kind === 'appended') {
        head = outcome.head
        // Woken on a later turn: a pusher never re-enters its own pull from inside its push.
        setImmediate(wake)
      }
      return outcome
    },
    noteAppended(appendedHead) {
      if (appendedHead <= head) return
      head = appendedHead
      setImmediate(wake)
    },
    onAppended(listener) {
      const own = () => listener()
      listeners.add(own)
      return () => void listeners.delete(own)
    },
    async pull(cursor, live, emit, signal, livePageEvents = LIVE_PAGE_EVENTS) {
      stats.pullsRunning += 1
      try {
        await pages(cursor, live, emit, signal, livePageEvents)
      } finally {
        stats.pullsRunning -= 1
      }
    },
  }

  async function pages(
    cursor: number,
    live: boolean,
    emit: (page: PullPage) => Promise<void>,
    signal: AbortSignal,
    livePageEvents: number,
  ): Promise<void> {
    let sent = cursor
    let first = true
    while (!signal.aborted) {
      const known = head
      const limit = known - sent > LIVE_TAIL_EVENTS ? MAX_PUSH_BATCH : livePageEvents
      const events = await eventlog.read(sent, limit, READ_BYTES)
      const last = events.at(-1)
      if (last || first) {
        if (last) sent = last.seqNum
        await emit({ events, remaining: Math.max(0, known - sent) })
        first = false
        if (last) continue
      }
      if (!live) return
      await appendedAfter(sent, signal)
    }
  }
}
