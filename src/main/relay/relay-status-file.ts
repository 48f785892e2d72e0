/**
 * What the running relay knows, for `chronicle sync status` run in another process: the app or `serve` writes
 * `sync-status.json` (0600) in the data directory when the relay's status changes, at most twice a second; while
 * changes or bodies wait to move, it asks for the figures again every few seconds (their counts move without the
 * relay's status changing), and writes only when they differ, so a count stuck on something that cannot move (an
 * image no worker has) costs no writes. It removes the file when it stops. A file left by a process that died is
 * recognised by its pid and ignored.
 *
 * A file rather than a question to the running process: nothing new listens, and nothing but this user can read it.
 * Not flushed to disk: it says how things stand now, and a crash makes it stale anyway (hence the pid).
 */
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { BodiesStatus, RemoteSyncStatus } from '../../shared/api/contract'
import { writeFileAtomicSync } from '../atomic-write'
import { processAlive } from '../data-dir-lock'
import { isRemoteConnection } from './remote-connection'

export const RELAY_STATUS_FILE = 'sync-status.json'

export interface RelayReport {
  readonly pid: number
  /** When these figures were first written (epoch ms): figures that do not change are not written again. */
  readonly at: number
  readonly connection: RemoteSyncStatus['connection']
  readonly remoteHead: number | null
  readonly localHead: number
  /** Changes made here the worker has not confirmed: events on their way, and changes not yet made into events. */
  readonly waiting: number
  /** Events from the worker kept as refused (refused-events.ts). */
  readonly refused: RemoteSyncStatus['refused']
  /** Message bodies still to move (null in a file from a build before bodies moved, or without a transfer). */
  readonly bodies: BodiesStatus | null
}

export type RelayFigures = Omit<RelayReport, 'pid' | 'at'>

const THROTTLE_MS = 500
const WHILE_WAITING_MS = 3_000

/** Keeps the file up to date until the returned function is called, which removes it. */
export function publishRelayStatus(options: {
  readonly dataDir: string
  readonly figures: () => Promise<RelayFigures>
  /** Calls back on every change of the relay's status; returns how to stop. */
  readonly subscribe: (listener: () => void) => () => void
  readonly log: (line: string) => void
}): () => void {
  const file = join(options.dataDir, RELAY_STATUS_FILE)
  let stopped = false
  let scheduled: NodeJS.Timeout | null = null
  let lastAsked = 0
  /** The figures in the file, as JSON: the same again are not written. */
  let lastFigures: string | null = null

  async function write() {
    scheduled = null
    lastAsked = Date.now()
    try {
      const figures = await options.figures()
      if (stopped) return
      const written = JSON.stringify(figures)
      if (written !== lastFigures) {
        const report: RelayReport = { pid: process.pid, at: Date.now(), ...figures }
        writeFileAtomicSync(file, JSON.stringify(report), { durable: false })
        lastFigures = written
      }
      const bodiesMoving =
        figures.bodies !== null &&
        figures.bodies.toFetch + figures.bodies.toStore + figures.bodies.imagesToFetch > 0
      if (figures.waiting > 0 || bodiesMoving) schedule(WHILE_WAITING_MS)
    } catch (error) {
      options.log(`sync status file not written: ${String(error)}`)
    }
  }
  function schedule(after = 0) {
    if (stopped || scheduled !== null) return
    const wait = Math.max(after, lastAsked + THROTTLE_MS - Date.now())
    scheduled = setTimeout(() => void write(), wait)
    scheduled.unref()
  }

  const unsubscribe = options.subscribe(() => schedule())
  schedule()
  return () => {
    stopped = true
    unsubscribe()
    if (scheduled !== null) clearTimeout(scheduled)
    try {
      if ((JSON.parse(readFileSync(file, 'utf8')) as RelayReport).pid === process.pid) rmSync(file)
    } catch {
      // Never written, or already replaced by a newer process: nothing of ours to remove.
    }
  }
}

function isRefusedEvents(value: unknown): value is RelayReport['refused'] {
  if (typeof value !== 'object' || value === null) return false
  const { count, last } = value as { count?: unknown; last?: unknown }
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) return false
  if (last === null) return true
  if (typeof last !== 'object' || last === undefined) return false
  const { seqNum, refusedName, reason, at } = last as Record<string, unknown>
  return (
    typeof seqNum === 'number' &&
    typeof refusedName === 'string' &&
    typeof reason === 'string' &&
    typeof at === 'number'
  )
}

function isBodiesStatus(value: unknown): value is BodiesStatus {
  if (typeof value !== 'object' || value === null) return false
  const { toFetch, toStore, imagesToFetch, problem } = value as Record<string, unknown>
  return (
    Number.isSafeInteger(toFetch) &&
    Number.isSafeInteger(toStore) &&
    Number.isSafeInteger(imagesToFetch) &&
    (problem === null || typeof problem === 'string')
  )
}

/** The running relay's last report, or null when no process that is alive wrote one. */
export function readRelayReport(dataDir: string): RelayReport | null {
  try {
    const report = JSON.parse(readFileSync(join(dataDir, RELAY_STATUS_FILE), 'utf8')) as Partial<RelayReport>
    if (typeof report.pid !== 'number' || !Number.isInteger(report.pid) || !processAlive(report.pid))
      return null
    if (
      typeof report.at !== 'number' ||
      typeof report.localHead !== 'number' ||
      typeof report.waiting !== 'number'
    )
      return null
    if (!isRemoteConnection(report.connection) || !isRefusedEvents(report.refused)) return null
    const bodies = report.bodies ?? null
    if (bodies !== null && !isBodiesStatus(bodies)) return null
    return { ...(report as RelayReport), bodies }
  } catch {
    return null
  }
}
