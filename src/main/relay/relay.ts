/**
 * The hub as a relay (issue 16): the sync Worker holds the library's eventlog, and this machine's SQL eventlog is
 * its exact replica (same sequence numbers, same events, so the same hash chain on every machine).
 *
 * The relay stands between the hub and its eventlog (`eventlog`): a push the hub's policy accepted is sealed and
 * pushed upstream with its own sequence numbers, and stored here only once the Worker confirmed it; a Worker that
 * is ahead makes the relay pull first, then answer "server ahead", so the pusher's LiveStore pulls, rebases and
 * pushes again. One push goes up at a time. Pulled events are opened and validated (relay-codec.ts) and appended
 * with the Worker's numbers; one that fails is stored as a refusal in its place (v1.RemoteEventRefused), the same
 * on every machine, so one machine of the library cannot stop the others' sync with a bad event.
 *
 * Offline, pushes wait for the connection (their clients keep the events pending) and go up when it returns.
 * A refusal at the upgrade (a wrong key's token, an unclaimed library) is not retried until `reconnect()`.
 */
import type { Kysely } from 'kysely'
import type { SigningKey } from '../audit/signing-key'
import type { Log } from '../logger'
import type { Database } from '../repository/database-schema'
import type { AppendOutcome, GlobalEvent, HubEventlog } from '../hub/hub-eventlog'
import { MAX_PUSH_BATCH } from '../hub/hub-eventlog'
import { deriveSyncKeys, type LibraryKey } from '../sync/library-key'
import type { MachinePresence } from '../sync/machine-presence'
import { makeReplica } from './relay-replica'
import { openUpstream, type Ended, type UpstreamConnection } from './upstream-connection'

export interface RelayConfig {
  readonly url: string
  /** The remote library's id (not the local LiveStore store id). */
  readonly storeId: string
  readonly key: LibraryKey
  /** What the Worker lists this machine as (its Devices view), sent beside the token. */
  readonly presence?: MachinePresence
}

export type RelayConnection =
  | { readonly state: 'connecting' }
  | { readonly state: 'connected'; readonly since: number; readonly caughtUp: boolean }
  | { readonly state: 'unreachable'; readonly reason: string; readonly retryAt: number }
  | { readonly state: 'refused'; readonly status: number; readonly reason: string }
  | { readonly state: 'stopped' }

export interface RelayStatus {
  readonly connection: RelayConnection
  /** The Worker's head as last seen (null before the first pull answered). */
  readonly remoteHead: number | null
  readonly localHead: number
  /** Events local clients pushed that wait for the Worker's confirmation. */
  readonly waiting: number
}

export interface Relay {
  /** Where it relays to. */
  readonly target: { readonly url: string; readonly storeId: string }
  /** The eventlog the hub appends to: pushes go upstream first. */
  readonly eventlog: HubEventlog
  status(): RelayStatus
  /** Calls `listener` on every change of status; returns how to stop. */
  subscribe(listener: (status: RelayStatus) => void): () => void
  /** After each batch pulled into the eventlog, with the new head (the hub wakes its pulls). */
  onReplicated(listener: (head: number) => void): void
  start(): void
  /** Tries again after a refusal (say, once the library was claimed), or starts again after a start that failed. */
  reconnect(): void
  close(): Promise<void>
}

const BACKOFF_MS = { first: 500, max: 15_000 }
/** How long first contact waits for the history it sent up to come back before it counts as caught up. */
const ECHO_WAIT_MS = 10_000
/**
 * How long pages may run ahead of this machine's head (relay-replica.ts apply) before the relay pulls again from
 * it: the backlog of a pull fills the gap in well under this, unless a page was lost on the way.
 */
const AHEAD_STALL_MS = 30_000

export function makeRelay(
  config: RelayConfig & {
    readonly local: HubEventlog
    readonly db: Kysely<Database>
    readonly log: Log
    /** This machine's key: it signs every event sent up (event-signature.ts). */
    readonly signingKey: SigningKey
  },
): Relay {
  const { local, log, storeId } = config
  const keys = deriveSyncKeys(config.key, storeId)
  const replica = makeReplica({
    local,
    db: config.db,
    storeId,
    eventKey: keys.eventArgs,
    signingKey: config.signingKey,
    // Stored as refused, in place, on every machine alike: sync goes on (relay-replica.ts decide).
    onRefused: (reason) => log(`sync relay: an event from the worker is refused and kept as such: ${reason}`),
  })
  const state = { connection: { state: 'connecting' } as RelayConnection, waiting: 0 }
  const listeners = new Set<(status: RelayStatus) => void>()
  const replicated = new Set<(head: number) => void>()
  let conn: UpstreamConnection | null = null
  let closed = false
  const stopping = new AbortController()
  let wakeLoop: () => void = () => undefined
  let running: Promise<void> | null = null
  /** The relay stopped on an error (its replica could not be read, or the loop failed): `reconnect()` restarts it. */
  let failed = false
  const run = () => {
    failed = false
    return replica
      .load()
      .then(loop)
      .catch((error: unknown) => {
        failed = true
        log(`sync relay stopped: ${String(error)}`)
        setConnection({ state: 'refused', status: 0, reason: String(error) })
      })
  }

  const status = (): RelayStatus => ({
    connection: state.connection,
    remoteHead: replica.remoteHead(),
    localHead: replica.localHead(),
    waiting: state.waiting,
  })
  const changed = () => {
    const now = status()
    for (const listener of [...listeners]) listener(now)
  }
  const setConnection = (connection: RelayConnection) => {
    state.connection = connection
    changed()
  }
  /** Resolves when `holds()` is true after some change, or the relay closes. */
  const when = (holds: () => boolean) =>
    new Promise<void>((resolve) => {
      if (holds() || closed) return resolve()
      const check = () => {
        if (!holds() && !closed) return
        listeners.delete(check)
        resolve()
      }
      listeners.add(check)
    })
  const ready = () => state.connection.state === 'connected' && state.connection.caughtUp

  replica.onAppended((head) => {
    for (const listener of [...replicated]) listener(head)
    changed()
  })

  async function connectOnce(): Promise<Ended> {
    const address = { url: config.url, storeId, token: keys.workerToken, presence: config.presence }
    const opened = await openUpstream(address, stopping.signal)
    if ('kind' in opened) return opened
    if (closed) {
      opened.close({ kind: 'unreachable', reason: 'the relay closed' })
      return opened.ended
    }
    conn = opened
    try {
      return await followUpstream(opened)
    } catch (error) {
      // The loop stops on this (reconnect() starts it again): the socket must not outlive it, applying pages.
      opened.close({ kind: 'unreachable', reason: `the relay failed: ${String(error)}` })
      throw error
    } finally {
      conn = null
    }
  }

  /** Pulls live on an open connection (seeding the Worker with this machine's history first) until it ends. */
  async function followUpstream(opened: UpstreamConnection): Promise<Ended> {
    const since = Date.now()
    if (state.connection.state === 'unreachable') log('sync relay: connected to the worker again')
    setConnection({ state: 'connected', since, caughtUp: false })
    const cursor = await replica.cursor()
    const caughtUp = () => {
      clearTimeout(echoWait)
      if (!ready() && !closed) setConnection({ state: 'connected', since, caughtUp: true })
    }
    // The history sent up comes back on the live pull with the Worker's times (relay-replica.ts adoptAcceptedAt):
    // caught up once it did, or after ECHO_WAIT_MS whatever came back.
    let echoOf: number | null = null
    let echoWait: NodeJS.Timeout | undefined
    let aheadStall: NodeJS.Timeout | undefined
    opened.pull(cursor, async (page) => {
      if ((await replica.apply(page)) === 'ahead') {
        aheadStall ??= setTimeout(() => {
          const reason = `pages ran ahead of this machine's ${replica.localHead()} events for ${AHEAD_STALL_MS / 1000} s`
          opened.close({ kind: 'unreachable', reason })
        }, AHEAD_STALL_MS)
        return
      }
      clearTimeout(aheadStall)
      aheadStall = undefined
      if (page.remaining > 0 || ready()) return changed()
      if (echoOf === null) {
        // Caught up: a library set up on a machine with history sends that history up first.
        echoOf = (await replica.seed((batch, backendId) => opened.push(batch, backendId))) ?? 0
        if (echoOf > replica.pulledThrough()) {
          echoWait = setTimeout(caughtUp, ECHO_WAIT_MS)
          return changed()
        }
      } else if (replica.pulledThrough() < echoOf) return changed()
      caughtUp()
    })
    const ended = await opened.ended
    clearTimeout(echoWait)
    clearTimeout(aheadStall)
    return ended
  }

  async function loop() {
    let attempt = 0
    while (!closed) {
      // A Worker that could not be reached stays so while the relay tries again: no flicker through 'connecting'.
      if (state.connection.state !== 'unreachable') setConnection({ state: 'connecting' })
      const ended = await connectOnce()
      if (closed) break
      if (ended.kind === 'refused') {
        log(`sync relay refused: ${ended.reason}`)
        setConnection({ state: 'refused', status: ended.status, reason: ended.reason })
        await new Promise<void>((resolve) => (wakeLoop = resolve))
        attempt = 0
        continue
      }
      // Logged once when a connection drops, not on every attempt while the Worker stays out of reach.
      if (state.connection.state === 'connected')
        log(`sync relay: the connection to the worker ended (${ended.reason}); trying again`)
      else if (state.connection.state !== 'unreachable')
        log(`sync relay: cannot reach the worker (${ended.reason}); trying again`)
      attempt = state.connection.state === 'connected' ? 0 : attempt + 1
      const delay = Math.min(BACKOFF_MS.max, BACKOFF_MS.first * 2 ** attempt) * (0.75 + Math.random() / 2)
      setConnection({ state: 'unreachable', reason: ended.reason, retryAt: Date.now() + delay })
      await new Promise<void>((resolve) => {
        wakeLoop = resolve
        setTimeout(resolve, delay).unref()
      })
    }
    setConnection({ state: 'stopped' })
  }

  /** One attempt to take a batch upstream; undefined when the connection went away (try again). */
  const forward = (batch: readonly GlobalEvent[], pushedBy: Parameters<HubEventlog['append']>[1]) =>
    replica.serialised(async (): Promise<AppendOutcome | { remoteHead: number } | undefined> => {
      const head = await local.head()
      const first = batch[0] as GlobalEvent
      if (first.seqNum <= head)
        return { kind: 'server-ahead', minimumExpectedNum: head + 1, providedNum: first.seqNum }
      const problem = sequenceProblem(batch, head)
      if (problem !== null) return { kind: 'invalid', reason: problem }
      const impostor = replica.impostor(batch)
      if (impostor !== null) return { kind: 'invalid', reason: impostor }
      const upstream = conn
      if (upstream === null || !ready()) return undefined
      const answer = await upstream.push(replica.seal(batch), replica.backendId())
      if (answer.kind === 'server-ahead') return { remoteHead: answer.remoteHead }
      if (answer.kind === 'failed')
        return answer.reason.startsWith('offline') ? undefined : { kind: 'refused', reason: answer.reason }
      // The Worker has it: store it here (if its echo on the live pull has not already).
      return replica.appendConfirmed(batch, pushedBy)
    })

  const eventlog: HubEventlog = {
    backendId: local.backendId,
    head: () => local.head(),
    read: (cursor, limit, maxBytes) => local.read(cursor, limit, maxBytes),
    async append(batch, pushedBy) {
      state.waiting += batch.length
      changed()
      try {
        while (!closed) {
          await when(() => ready())
          if (closed) break
          const outcome = await forward(batch, pushedBy)
          if (outcome === undefined) continue
          if (!('remoteHead' in outcome)) return outcome
          if (outcome.remoteHead < replica.localHead()) {
            // The Worker lost events this replica holds: pushing again would spin; stop and say so.
            const reason = `the remote has ${outcome.remoteHead} events, fewer than this machine's ${replica.localHead()}`
            conn?.close({ kind: 'refused', status: 0, reason })
            continue
          }
          // The Worker is ahead: its events reach this eventlog before the pusher is told to pull them.
          await when(() => replica.localHead() >= outcome.remoteHead || !ready())
          const head = replica.localHead()
          const first = batch[0] as GlobalEvent
          if (head >= first.seqNum)
            return { kind: 'server-ahead', minimumExpectedNum: head + 1, providedNum: first.seqNum }
        }
        return { kind: 'invalid', reason: 'the sync relay stopped' }
      } finally {
        state.waiting -= batch.length
        changed()
      }
    },
  }

  return {
    target: { url: config.url, storeId },
    eventlog,
    status,
    subscribe(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    onReplicated: (listener) => void replicated.add(listener),
    start() {
      running ??= run()
    },
    reconnect() {
      // A relay that could not start (its replica unreadable) starts again; a refused connection connects again.
      if (failed && !closed) running = run()
      else wakeLoop()
    },
    async close() {
      closed = true
      stopping.abort()
      conn?.close({ kind: 'unreachable', reason: 'the relay closed' })
      wakeLoop()
      changed()
      await running
    },
  }
}

/** A batch must continue exactly from `head`, numbered one by one (the Worker checks only the first parent). */
function sequenceProblem(batch: readonly GlobalEvent[], head: number): string | null {
  if (batch.length === 0 || batch.length > MAX_PUSH_BATCH) return `a batch of ${batch.length} events`
  for (const [i, event] of batch.entries())
    if (event.seqNum !== head + 1 + i || event.parentSeqNum !== head + i)
      return `event ${event.seqNum} does not follow ${head + i}`
  return null
}
