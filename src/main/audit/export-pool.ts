/**
 * Runs export windows on worker threads when the machine has cores for them, each worker with its own read-only
 * connection, and on the calling thread in turn with them; results come back in the order the windows were sent.
 * Where no worker can run (an in-memory or missing database file, a bundle without the worker, a worker that
 * fails), windows are exported on the calling thread with the same code: slower, never different.
 */
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { Kysely } from 'kysely'
import type { Database } from '../repository/database-schema'
import type { SeqWindow } from './audit-query'
import type { WorkerSetup } from './export-worker'
import { workerEntry } from '../worker-entry'
import { windowExporter, type WindowBytes, type WindowSetup } from './window-export'

export interface ExportPool {
  run(window: SeqWindow): Promise<WindowBytes>
  /** Windows exported by workers so far (the rest ran on the calling thread). */
  windowsOnWorkers(): number
  close(): Promise<void>
}

/** Workers read, parse and format in short bursts: a larger young generation spares most of their scavenges. */
const YOUNG_GENERATION_MB = 16
/**
 * A worker holds a few windows at a time; a low ceiling makes V8 collect instead of growing (-40 MB of peak RSS
 * at a million events). A worker that still runs out hands its windows back to the calling thread.
 */
const OLD_GENERATION_MB = 64
/** Each worker's page cache: it reads each page of the eventlog once. */
const WORKER_CACHE_KIB = 4_096

/**
 * One worker where there are two cores or more, and the calling thread takes its own share of the windows beside
 * it (see `run`). Measured at a million events on two cores: one worker and the calling thread export faster
 * than two workers, which leave the thread that hashes and writes no core of its own, and in about 70 MiB less.
 * With none, everything runs on the calling thread, in the least memory.
 */
const defaultExportWorkers = (): number => (availableParallelism() >= 2 ? 1 : 0)

export function exportPool(
  db: Kysely<Database>,
  setup: WindowSetup & { readonly databaseFile: string | null },
  workers = defaultExportWorkers(),
): ExportPool {
  const inline = windowExporter(db, setup)
  if (!(workers >= 1) || setup.databaseFile === null)
    return { run: inline, windowsOnWorkers: () => 0, close: async () => undefined }
  // Built, the worker is export-worker.js beside main.js (electron.vite.config.ts).
  const { source, eval: isEval } = workerEntry(import.meta.url, 'export-worker')
  const workerData: WorkerSetup = { ...setup, databaseFile: setup.databaseFile, cacheKiB: WORKER_CACHE_KIB }
  const pool = Array.from(
    { length: workers },
    () =>
      new Worker(source, {
        eval: isEval,
        workerData,
        resourceLimits: {
          maxYoungGenerationSizeMb: YOUNG_GENERATION_MB,
          maxOldGenerationSizeMb: OLD_GENERATION_MB,
        },
      }),
  )
  type Pending = { readonly window: SeqWindow; readonly settle: (result: Promise<WindowBytes>) => void }
  const waiting = new Map<number, Pending>()
  // A worker that fails hands its windows, and all later ones, to the calling thread: the export goes on.
  let failed = false
  let onWorkers = 0
  const fallBack = () => {
    failed = true
    const pending = [...waiting.entries()].sort(([a], [b]) => a - b)
    waiting.clear()
    for (const [, task] of pending) task.settle(inline(task.window))
  }
  for (const worker of pool) {
    worker.on('message', (reply: { id: number; result?: WindowBytes; error?: string }) => {
      const task = waiting.get(reply.id)
      if (!task) return
      waiting.delete(reply.id)
      if (reply.result) onWorkers += 1
      task.settle(reply.result ? Promise.resolve(reply.result) : Promise.reject(new Error(reply.error)))
    })
    worker.on('error', fallBack)
  }
  let next = 0
  // The calling thread is one lane more: it exports every (workers + 1)th window itself, between its writes.
  // (Giving it fewer, one in three or four, measured no faster: it also hashes and writes every byte.)
  const inlineEvery = pool.length + 1
  return {
    run(window) {
      if (failed) return inline(window)
      const id = next++
      if (id % inlineEvery === inlineEvery - 1) return inline(window)
      const worker = pool[id % pool.length] as Worker
      return new Promise<WindowBytes>((resolve, reject) => {
        waiting.set(id, { window, settle: (result) => result.then(resolve, reject) })
        worker.postMessage({ id, window })
      })
    },
    windowsOnWorkers: () => onWorkers,
    async close() {
      await Promise.all(pool.map((worker) => worker.terminate()))
    },
  }
}
