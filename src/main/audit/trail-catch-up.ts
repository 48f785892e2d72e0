/**
 * Brings the audit trail up to date before a command says what it holds (`chronicle audit export`, `audit verify
 * --db`): the bridge runs only where the store runs, so changes made by `chronicle import` with no app open are
 * not yet events. When no process holds the data directory, this one runs the bridge until the trail covers the
 * whole change feed; when the app or `serve` holds it, this waits for that process's bridge, and gives up with a
 * clear message when it brings nothing in for `stallMs`.
 */
import { tryLockDataDir } from '../data-dir-lock'
import type { Log } from '../logger'
import type { ChronicleStore } from '../livestore/chronicle-store'
import type { Relay } from '../relay/relay'
import { openRepository, type Repository } from '../repository/repository'
import { readSyncRemoteOrProblem, type SyncRemote } from '../sync/sync-settings'
import { trailCoverage, type TrailCoverage } from './trail-coverage'

export interface CatchUpOptions {
  readonly dataDir: string
  readonly deviceId: string
  /** Called while it works: changes brought in so far, of how many. */
  readonly onProgress?: (progress: CatchUpProgress) => void
  /** How long another process may bring nothing in before this gives up (default 60 s). */
  readonly stallMs?: number
  /** How often to look at another process's progress (default 250 ms). */
  readonly pollMs?: number
  readonly log?: Log
  /** The caller holds the data directory already (`chronicle sync setup`): no one else's bridge to wait for. */
  readonly holding?: boolean
}

export interface CatchUpProgress {
  readonly done: number
  readonly total: number
  /** Set when another process is doing the work and this one waits for it. */
  readonly waitingFor?: { readonly pid: number; readonly holder: string }
}

export class TrailCatchUpError extends Error {}

const STALL_MS = 60_000
const POLL_MS = 250

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Resolves with the coverage once the trail holds every change; throws TrailCatchUpError when it cannot. */
export async function bringTrailUpToDate(options: CatchUpOptions): Promise<TrailCoverage> {
  const repository = openRepository({ dataDir: options.dataDir })
  try {
    const start = await trailCoverage(repository.db, options.deviceId)
    if (start.pending === 0) return start
    const waited = options.holding
      ? { release: () => undefined }
      : await waitForHolder(repository, start, options)
    if (!('release' in waited)) return waited
    try {
      await runBridge(repository, start, options)
    } finally {
      waited.release()
    }
    const end = await trailCoverage(repository.db, options.deviceId)
    if (end.pending > 0)
      throw new TrailCatchUpError(
        `${end.pending} changes could not be brought into the audit trail; see ${options.dataDir}/chronicle.log`,
      )
    return end
  } finally {
    await repository.close()
  }
}

/**
 * Runs the sync runtime here until its bridge has turned every change into events, then stops it cleanly. A
 * library that syncs relays as the app does: its eventlog is the worker's, and an event appended here alone would
 * be numbered apart from every other machine's for good.
 */
async function runBridge(repository: Repository, start: TrailCoverage, options: CatchUpOptions) {
  // Loaded only when there is something to bring: LiveStore and Effect take seconds to load, which every other
  // audit command (and an export with nothing to bring) should not wait for.
  const { startSyncRuntime } = await import('../sync/sync-runtime')
  const log = options.log ?? (() => undefined)
  const runtime = await startSyncRuntime({
    dataDir: options.dataDir,
    repository,
    kind: 'cli',
    log,
    relay: remoteOf(options.dataDir),
  })
  const report = () =>
    options.onProgress?.({
      done: Math.min(start.pending, Math.max(0, runtime.bridge.sqlCursor() - start.covered)),
      total: start.pending,
    })
  const timer = setInterval(report, 200)
  try {
    await runtime.bridge.drain()
    if (runtime.relay) await untilWorkerConfirmed(runtime.relay, runtime.store, options)
    report()
  } finally {
    clearInterval(timer)
    // Stopping drains once more and waits until LiveStore's leader has persisted and the hub confirmed every event.
    await runtime.close()
  }
}

/**
 * The worker this library syncs through. Unlike the app, which starts without relaying when sync.json cannot be
 * trusted (the library stays usable), the catch-up then stops: events it appended alone would never match the
 * worker's eventlog.
 */
function remoteOf(dataDir: string): SyncRemote | null {
  const reading = readSyncRemoteOrProblem(dataDir)
  if ('problem' in reading) throw new TrailCatchUpError(reading.problem)
  return reading.remote
}

/** A worker that fails to answer for this long is unreachable, not just slow to connect. */
const UNREACHABLE_AFTER_MS = 3_000

/**
 * Waits until the worker confirmed every event the bridge made (the hub stores them only then). A worker that
 * refuses or cannot be reached ends the wait: the events stay in this machine's store and go up when the app runs.
 */
async function untilWorkerConfirmed(relay: Relay, store: ChronicleStore, options: CatchUpOptions) {
  const started = Date.now()
  const stallMs = options.stallMs ?? STALL_MS
  for (;;) {
    if ((await store.unconfirmed()) === 0) return
    const { connection } = relay.status()
    const waited = Date.now() - started
    if (connection.state === 'refused')
      throw new TrailCatchUpError(
        `the sync worker refused this library (${connection.reason}), so the changes cannot join its trail; ` +
          'see `chronicle sync status`',
      )
    if ((connection.state === 'unreachable' && waited > UNREACHABLE_AFTER_MS) || waited > stallMs)
      throw new TrailCatchUpError(
        `the sync worker did not confirm the changes (${connection.state === 'unreachable' ? connection.reason : 'no answer'}): ` +
          "this library's trail is the worker's, so they join it once the worker can be reached; they are kept here " +
          'and go up when Chronicle runs',
      )
    await sleep(options.pollMs ?? POLL_MS)
  }
}

/**
 * Waits while another process holds the data directory and its bridge brings the trail up to date. Returns the
 * coverage once it does, or the lock when there is (or stops being) no holder, for this process to do the work.
 */
async function waitForHolder(
  repository: Repository,
  start: TrailCoverage,
  options: CatchUpOptions,
): Promise<TrailCoverage | { release(): void }> {
  const stallMs = options.stallMs ?? STALL_MS
  let coverage = start
  let lastMove = Date.now()
  for (;;) {
    const lock = tryLockDataDir(options.dataDir, 'chronicle audit')
    if (lock.locked) return lock
    const holder = lock.heldBy
    options.onProgress?.({
      done: Math.max(0, start.pending - coverage.pending),
      total: start.pending,
      waitingFor: holder,
    })
    if (Date.now() - lastMove > stallMs)
      throw new TrailCatchUpError(
        `${holder.holder} (pid ${holder.pid}) holds this library and has brought nothing into the audit trail ` +
          `for ${Math.round(stallMs / 1000)} s (${coverage.pending} changes still to go); try again once it has ` +
          `caught up (its sync indicator shows the backlog), or stop it and run this command alone`,
      )
    await sleep(options.pollMs ?? POLL_MS)
    const next = await trailCoverage(repository.db, options.deviceId)
    if (next.pending === 0) return next
    if (next.covered > coverage.covered) lastMove = Date.now()
    coverage = next
  }
}
