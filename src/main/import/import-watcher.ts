/**
 * Live import: one recursive file-system watcher per root (not one per task folder, so thousands of tasks cost
 * one watcher each root), debounced so a burst of writes becomes one import. The import itself is incremental
 * (unchanged units are only stat'ed), so re-importing a root on each burst is cheap. Units that failed because
 * they were probably half-written are tried again after a pause even if no further event comes; the pause doubles
 * while they stay so (a file abandoned half-written is not read every second all day), and the next event of the
 * root starts it over.
 */
import { watch, type FSWatcher } from 'node:fs'
import type { ImageStore } from '../images/image-store'
import type { Repository } from '../repository/repository'
import { importSources, type ImportOptions, type ImportTarget } from './import-engine'
import type { ImportSummary } from './import-summary'

/** The longest pause between tries of a root whose units stay half-written with no event. */
const MAX_RETRY_MS = 5 * 60_000

export interface WatchOptions {
  /** Quiet time after the last event before importing. */
  readonly debounceMs?: number
  /** Pause before trying a half-written unit again the first time; it doubles up to MAX_RETRY_MS. */
  readonly retryMs?: number
  /** After each import run, with when it started (epoch ms). */
  readonly onImport?: (target: ImportTarget, summary: ImportSummary, startedAt: number) => void
  readonly onError?: (target: ImportTarget, error: unknown) => void
  /** Where the watcher's imports keep the images they meet. */
  readonly images?: ImageStore
  /** This machine's device, which the imported messages carry. */
  readonly deviceId?: string
}

export interface ImportWatcher {
  /**
   * Imports a target now, in turn with the watcher's own runs (the repository has one writer), whether or not it
   * is watched; resolves with what it did.
   */
  importNow(target: ImportTarget, options?: ImportOptions): Promise<ImportSummary>
  /** Resolves when every import started so far has finished (tests and shutdown wait on it). */
  idle(): Promise<void>
  close(): Promise<void>
}

export function watchSources(
  repository: Repository,
  targets: readonly ImportTarget[],
  options: WatchOptions = {},
): ImportWatcher {
  const debounceMs = options.debounceMs ?? 200
  const retryMs = options.retryMs ?? 1_000
  const timers = new Map<ImportTarget, NodeJS.Timeout>()
  const nextRetryMs = new Map<ImportTarget, number>()
  const watchers: FSWatcher[] = []
  // Imports run one after another: the repository has one writer, and a queue keeps events from piling up.
  let queue: Promise<void> = Promise.resolve()
  let closed = false
  const runOptions: ImportOptions = { images: options.images, deviceId: options.deviceId }

  const schedule = (target: ImportTarget, delay: number) => {
    if (closed) return
    clearTimeout(timers.get(target))
    timers.set(
      target,
      setTimeout(() => {
        timers.delete(target)
        queue = queue.then(() => runImport(target))
      }, delay),
    )
  }

  const runImport = async (target: ImportTarget) => {
    if (closed) return
    try {
      const startedAt = Date.now()
      const summary = await importSources(repository, [target], runOptions)
      options.onImport?.(target, summary, startedAt)
      if (summary.problems.some((p) => p.retryable)) {
        const delay = nextRetryMs.get(target) ?? retryMs
        nextRetryMs.set(target, Math.min(delay * 2, MAX_RETRY_MS))
        schedule(target, delay)
      } else nextRetryMs.delete(target)
    } catch (error) {
      options.onError?.(target, error)
    }
  }

  for (const target of targets) {
    try {
      const watcher = watch(target.path, { recursive: true }, () => {
        nextRetryMs.delete(target)
        schedule(target, debounceMs)
      })
      watcher.on('error', (error) => options.onError?.(target, error))
      watchers.push(watcher)
    } catch (error) {
      options.onError?.(target, error)
    }
    schedule(target, 0)
  }

  return {
    importNow(target, importOptions) {
      const run = queue.then(() => importSources(repository, [target], { ...runOptions, ...importOptions }))
      queue = run.then(
        () => undefined,
        () => undefined,
      )
      return run
    },
    async idle() {
      while (timers.size > 0) await new Promise((resolve) => setTimeout(resolve, debounceMs))
      await queue
    },
    async close() {
      closed = true
      for (const timer of timers.values()) clearTimeout(timer)
      timers.clear()
      for (const watcher of watchers) watcher.close()
      await queue
    },
  }
}
