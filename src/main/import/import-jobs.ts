/**
 * "Import now" from the UI: a job that first counts the units to read (directory listings only), then imports
 * source after source with progress, and stops between units when cancelled (what was read is still written,
 * so the repository never holds half a conversation). The UI asks for the status until the job ends.
 */
import { randomUUID } from 'node:crypto'
import type { ImportJobStatus, SourceStatus } from '../../shared/api/contract'
import { fail, ok, type Result } from '../../shared/result'
import type { ImportOptions, ImportTarget } from './import-engine'
import type { ImportSummary } from './import-summary'

export interface ImportJobSources {
  /** What "import everything" means: the enabled, available sources. */
  sources(): readonly SourceStatus[]
  source(path: string): SourceStatus | null
  targetOf(source: SourceStatus): ImportTarget
  run(target: ImportTarget, options: ImportOptions): Promise<ImportSummary>
}

export interface ImportJobs {
  start(path: string | null): Result<ImportJobStatus>
  status(jobId: string): ImportJobStatus | null
  cancel(jobId: string): ImportJobStatus | null
  cancelAll(): void
}

const KEPT_JOBS = 20
const KEPT_PROBLEMS = 20

export function importJobs(sources: ImportJobSources): ImportJobs {
  const jobs = new Map<string, { status: ImportJobStatus; abort: AbortController }>()
  const update = (jobId: string, change: Partial<ImportJobStatus>) => {
    const job = jobs.get(jobId)
    if (job) job.status = { ...job.status, ...change }
  }
  const forgetOld = () => {
    const finished = [...jobs.entries()].filter(([, job]) => job.status.state !== 'running')
    for (const [id] of finished.slice(0, Math.max(0, finished.length - KEPT_JOBS))) jobs.delete(id)
  }

  async function runJob(jobId: string, targets: readonly ImportTarget[], signal: AbortSignal) {
    let unitsTotal = 0
    for (const target of targets) {
      for await (const unit of target.adapter.findUnits(target.path)) {
        void unit
        if (signal.aborted) break
        unitsTotal += 1
      }
    }
    update(jobId, { unitsTotal })
    let before = { units: 0, messages: 0 }
    const added = { conversations: 0, messages: 0 }
    const problems: { path: string; reason: string }[] = []
    for (const target of targets) {
      if (signal.aborted) break
      const summary = await sources.run(target, {
        signal,
        onProgress: (p) =>
          update(jobId, {
            unitsDone: before.units + p.unitsSeen,
            messagesWritten: before.messages + p.messagesWritten,
            current: p.current,
          }),
      })
      added.conversations += summary.conversations.added
      added.messages += summary.messages.added
      problems.push(...summary.problems.map(({ path, reason }) => ({ path, reason })))
      before = {
        units: before.units + summary.unitsRead + summary.unitsUnchanged + summary.problems.length,
        messages: jobs.get(jobId)?.status.messagesWritten ?? before.messages,
      }
      update(jobId, {
        unitsDone: before.units,
        added: { ...added },
        problems: problems.slice(0, KEPT_PROBLEMS),
      })
    }
    update(jobId, { state: signal.aborted ? 'cancelled' : 'done', current: '' })
  }

  return {
    start(path) {
      forgetOld()
      let chosen: readonly SourceStatus[]
      if (path === null) chosen = sources.sources()
      else {
        const source = sources.source(path)
        if (!source) return fail('NOT_FOUND', `${path.slice(0, 300)} is not one of the sources.`)
        if (!source.available)
          return fail('SOURCE_UNAVAILABLE', `${path.slice(0, 300)} is not there right now.`)
        chosen = [source]
      }
      const jobId = randomUUID()
      const abort = new AbortController()
      const status: ImportJobStatus = {
        jobId,
        state: 'running',
        unitsDone: 0,
        unitsTotal: 0,
        messagesWritten: 0,
        current: '',
        added: { conversations: 0, messages: 0 },
        problems: [],
        error: null,
      }
      jobs.set(jobId, { status, abort })
      runJob(jobId, chosen.map(sources.targetOf), abort.signal).catch((error: unknown) =>
        update(jobId, { state: 'failed', error: error instanceof Error ? error.message : String(error) }),
      )
      return ok(status)
    },
    status: (jobId) => jobs.get(jobId)?.status ?? null,
    cancel(jobId) {
      const job = jobs.get(jobId)
      if (!job) return null
      job.abort.abort()
      return job.status
    },
    cancelAll() {
      for (const job of jobs.values()) job.abort.abort()
    },
  }
}
