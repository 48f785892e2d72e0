/**
 * The sync Worker seen from outside. A watcher: one more sync socket to the Worker with the library's token, as a
 * third machine's relay would open it, pulling live from the start and noting when each event reached it: when
 * the Worker had accepted an event and sent it to its pullers (B's relay gets the same broadcast). It sends no
 * presence, so the Worker lists no machine for it. And what the Worker costs: resident memory of the workerd
 * processes under this one (from /proc) and the bytes under its --persist-to directory.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openUpstream, type UpstreamConnection } from '../../../src/main/relay/upstream-connection'
import { deriveSyncKeys } from '../../../src/main/sync/library-key'
import { readSyncRemote } from '../../../src/main/sync/sync-settings'
import { workerdDescendants } from '../../../sync-worker/test/local-worker'

const here = dirname(fileURLToPath(import.meta.url))

export interface WorkerWatcher {
  /**
   * Epoch ms at which the event with this sequence number reached the watcher, or null; NaN when it came in the
   * catch-up after the watcher's socket was opened again, which does not say when the Worker served it.
   */
  seenAt(seqNum: number): number | null
  /** How many times the watcher's socket ended and was opened again. */
  reopened(): number
  head(): number
  /** Resolves with the epoch ms at which the watcher held `seqNum`. */
  waitFor(seqNum: number, timeoutMs: number): Promise<number>
  close(): void
}

/**
 * Opens the watcher; when its socket ends (say, a Pong late on a busy core), it opens another and pulls on from
 * the last event it holds, telling `log` why.
 */
export async function watchWorker(dataDir: string, log: (line: string) => void): Promise<WorkerWatcher> {
  const remote = readSyncRemote(dataDir)
  if (remote === null) throw new Error(`${dataDir} has no remote`)
  const address = {
    url: remote.url,
    storeId: remote.storeId,
    token: deriveSyncKeys(remote.key, remote.storeId).workerToken,
  }
  const seen = new Map<number, number>()
  let head = 0
  let backendId: string | null = null
  let closed = false
  let current: UpstreamConnection | null = null
  let reopened = 0
  const waiters = new Set<() => void>()
  const connect = async (): Promise<void> => {
    const opened = await openUpstream(address)
    if ('kind' in opened) throw new Error(`the watcher could not connect: ${opened.reason}`)
    current = opened
    let catchingUp = reopened > 0
    opened.pull(backendId === null ? null : { backendId, seqNum: head }, async (page) => {
      const at = catchingUp ? Number.NaN : Date.now()
      if (page.remaining === 0) catchingUp = false
      backendId = page.backendId
      for (const event of page.events) seen.set(event.seqNum, at)
      head = Math.max(head, page.events.at(-1)?.seqNum ?? head)
      for (const wake of [...waiters]) wake()
    })
    void opened.ended.then((ended) => {
      if (closed) return
      reopened += 1
      log(`sync: the watcher's socket ended (${ended.reason}) at event ${head}; opening another`)
      void connect()
    })
  }
  await connect()
  return {
    seenAt: (seqNum) => seen.get(seqNum) ?? null,
    head: () => head,
    reopened: () => reopened,
    waitFor: (seqNum, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const at = seen.get(seqNum)
          if (at === undefined) return
          waiters.delete(check)
          clearTimeout(timer)
          resolve(at)
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`the Worker did not serve event ${seqNum} within ${timeoutMs} ms (head ${head})`))
        }, timeoutMs)
        waiters.add(check)
        check()
      }),
    close: () => {
      closed = true
      current?.close({ kind: 'unreachable', reason: 'the bench closed its watcher' })
    },
  }
}

export interface WorkerProcess {
  readonly url: string
  stop(): Promise<void>
}

/** Starts worker-child.ts and waits for the URL it prints. */
export async function startWorkerProcess(persistTo: string): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'worker-child.ts'), persistTo], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /^(http:\/\/127\.0\.0\.1:\d+)$/m.exec(output)
      if (match?.[1]) resolve(match[1])
    })
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.once('exit', (code) => reject(new Error(`the sync worker exited with ${code}: ${output}`)))
  })
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    },
  }
}

/** Resident memory (VmRSS) of every workerd process under this one, in MiB. */
export function workerdRssMiB(): number {
  let kib = 0
  for (const pid of workerdDescendants()) {
    try {
      kib += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0)
    } catch {
      // The process ended while we looked.
    }
  }
  return kib / 1024
}

/** Bytes of every file under `dir`. */
export function bytesUnder(dir: string): number {
  let bytes = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) bytes += bytesUnder(path)
    else if (entry.isFile()) bytes += statSync(path).size
  }
  return bytes
}
