/**
 * "Import now" from the UI: a job that first counts the units to read (directory listings only), then imports
 * source after source with progress, and stops between units when cancelled (what was read is still written,
 * so the repository never holds half a conversation). The UI asks for the status until the job ends.
 */
import type { ImportJobStatus, SourceStatus } from '../../shared/api/contract'
import { fail, ok, type Result } from '../../shared/result'
import { jobRegistry, type JobRegistry, type RunningJob } from '../jobs/job-registry'
import type { ImportOptions, ImportTarget } from './import-engine'
import type { ImportSummary } from './import-summary'

export interface ImportJobSources {
  /** What "import everything" means: the enabled, available sources. */
  sources(): readonly SourceStatus[]
  source(path: string): SourceStatus | null
  targetOf(source: SourceStatus): ImportTarget
  run(target: ImportTarget, options: ImportOptions): Promise<ImportSummary>
}

export interface ImportJobs extends Omit<JobRegistry<ImportJobStatus>, 'start'> {
  start(path: string | null): Result<ImportJobStatus>
}

const KEPT_PROBLEMS = 20

export function importJobs(sources: ImportJobSources): ImportJobs {
  const jobs = jobRegistry<ImportJobStatus>()

  async function runJob(targets: readonly ImportTarget[], job: RunningJob<ImportJobStatus>) {
    const { signal } = job
    let unitsTotal = 0
    for (const target of targets) {
      for await (const unit of target.adapter.findUnits(target.path)) {
        void unit
        if (signal.aborted) break
        unitsTotal += 1
      }
    }
    job.update({ unitsTotal })
    let before = { units: 0, messages: 0 }
    const added = { conversations: 0, messages: 0 }
    const problems: { path: string; reason: string }[] = []
    for (const target of targets) {
      if (signal.aborted) break
      const summary = await sources.run(target, {
        signal,
        onProgress: (p) =>
          job.update({
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
        messages: job.status().messagesWritten,
      }
      job.update({ unitsDone: before.units, added: { ...added }, problems: problems.slice(0, KEPT_PROBLEMS) })
    }
    // Cancelled between units: what was read is written, and the job says it stopped early.
    return { state: signal.aborted ? ('cancelled' as const) : ('done' as const), current: '' }
  }

  return {
    ...jobs,
    start(path) {
      let chosen: readonly SourceStatus[]
      if (path === null) chosen = sources.sources()
      else {
        const source = sources.source(path)
        if (!source) return fail('NOT_FOUND', `${path.slice(0, 300)} is not one of the sources.`)
        if (!source.available)
          return fail('SOURCE_UNAVAILABLE', `${path.slice(0, 300)} is not there right now.`)
        chosen = [source]
      }
      const targets = chosen.map(sources.targetOf)
      const initial = {
        unitsDone: 0,
        unitsTotal: 0,
        messagesWritten: 0,
        current: '',
        added: { conversations: 0, messages: 0 },
        problems: [],
      }
      return ok(
        jobs.start(
          () => initial,
          (job) => runJob(targets, job),
        ),
      )
    },
  }
}
