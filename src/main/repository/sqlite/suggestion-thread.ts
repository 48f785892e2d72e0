/**
 * Runs "Did you mean" on a worker thread (suggestion-worker.ts), so the main process's only connection, which
 * better-sqlite3 drives synchronously, goes on answering searches, the hub and the next keystroke while a
 * misspelled common word's vocabulary is read (bench suggestions at a million messages: 118 ms p50, 264 ms p95).
 * Suggestions are a convenience: a worker that cannot start, fails, dies or does not answer in time gives no
 * suggestions, never an error, and the next request starts another, up to MAX_STARTS.
 */
import type { Kysely } from 'kysely'
import { Worker } from 'node:worker_threads'
import type { SearchSuggestion } from '../../../shared/api/contract'
import { workerEntry } from '../../worker-entry'
import type { Database } from '../database-schema'
import type { SearchOptions } from './full-text-search'
import { suggestCorrections } from './search-suggestions'
import type { SuggestionReply, SuggestionRequest, SuggestionWorkerSetup } from './suggestion-worker'

export interface Suggester {
  suggest(input: string, options?: SearchOptions): Promise<SearchSuggestion[]>
  /** Requests answered by a worker thread so far (for tests and the bench). */
  answered(): number
  close(): Promise<void>
}

/** Its page cache: the vocabulary ranges it reads stay warm for the next suggestion. */
const WORKER_CACHE_KIB = 16_384
/**
 * A ceiling on its heap: the most it holds is one word's vocabulary slices (about 130,000 words for a common one at
 * a million messages); a worker that runs out exits, and that request gets no suggestions.
 */
const OLD_GENERATION_MB = 128
/** A worker that keeps failing (a bundle without it, an addon it cannot load) is not started forever. */
const MAX_STARTS = 3
/**
 * How long a request waits for its answer, the worker's start included (1 to 2 s under tsx), before the worker is
 * taken as hung and ended: the slowest suggestion measured at a million messages takes about 0.5 s.
 */
const ANSWER_WITHIN_MS = 10_000

export interface SuggestionThreadLimits {
  readonly answerWithinMs: number
}

/** Suggestions on the calling thread's own connection (see RepositoryOptions.suggestOnWorker). */
export function inlineSuggester(db: Kysely<Database>): Suggester {
  return {
    suggest: (input, options = {}) => suggestCorrections(db, input, options),
    answered: () => 0,
    close: async () => undefined,
  }
}

export function suggestionThread(
  setup: Omit<SuggestionWorkerSetup, 'cacheKiB'>,
  limits: SuggestionThreadLimits = { answerWithinMs: ANSWER_WITHIN_MS },
): Suggester {
  const waiting = new Map<number, (suggestions: SearchSuggestion[]) => void>()
  let worker: Worker | null = null
  let starts = 0
  let next = 0
  let answered = 0
  let closed = false

  // Everything still waiting gets no suggestions; the worker is dropped and the next request starts another.
  const drop = (failed: Worker) => {
    if (worker !== failed) return
    worker = null
    void failed.terminate()
    for (const settle of waiting.values()) settle([])
    waiting.clear()
  }

  const start = (): Worker | null => {
    if (worker || closed || starts >= MAX_STARTS) return worker
    starts += 1
    // Built, the worker is suggestion-worker.js beside main.js (electron.vite.config.ts).
    const { source, eval: isEval } = workerEntry(import.meta.url, 'suggestion-worker')
    const workerData: SuggestionWorkerSetup = { ...setup, cacheKiB: WORKER_CACHE_KIB }
    const started = new Worker(source, {
      eval: isEval,
      workerData,
      resourceLimits: { maxOldGenerationSizeMb: OLD_GENERATION_MB },
    })
    started.on('message', (reply: SuggestionReply) => {
      const settle = waiting.get(reply.id)
      if (!settle) return
      waiting.delete(reply.id)
      if ('suggestions' in reply) answered += 1
      settle('suggestions' in reply ? [...reply.suggestions] : [])
      // An idle worker does not keep the process alive (a CLI that forgets to close the repository still ends).
      if (waiting.size === 0) started.unref()
    })
    started.on('error', () => drop(started))
    started.on('exit', () => drop(started))
    started.unref()
    worker = started
    return started
  }

  return {
    suggest(input, options = {}) {
      const target = start()
      if (!target) return Promise.resolve([])
      const id = next++
      return new Promise((resolve) => {
        // A worker stuck in a read (or in a loop) would leave every later request waiting: end it, and with it
        // every request it holds, so the next one starts afresh.
        const deadline = setTimeout(() => drop(target), limits.answerWithinMs)
        deadline.unref()
        waiting.set(id, (suggestions) => {
          clearTimeout(deadline)
          resolve(suggestions)
        })
        target.ref()
        target.postMessage({ id, input, options } satisfies SuggestionRequest)
      })
    },
    answered: () => answered,
    async close() {
      closed = true
      const last = worker
      worker = null
      for (const settle of waiting.values()) settle([])
      waiting.clear()
      await last?.terminate()
    },
  }
}
