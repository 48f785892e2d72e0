/**
 * Background jobs the UI starts and then asks about (an import, an audit export): each gets an id, runs with an
 * abort signal and reports progress into its status, and ends done, cancelled or failed. The UI polls, so a
 * finished job's status is kept for a while (it may ask once more after the end), but only the newest ones: a
 * page that starts jobs all day must not grow the process.
 */
import { randomUUID } from 'node:crypto'
import { fail, ok, type Result } from '../../shared/result'

export type JobState = 'running' | 'done' | 'failed' | 'cancelled'

/** What every job status the API returns has in common (ImportJobStatus, ExportJobStatus). */
export interface JobStatus {
  readonly jobId: string
  readonly state: JobState
  readonly error: string | null
}

/** What a running job sees of itself. */
export interface RunningJob<S extends JobStatus> {
  readonly signal: AbortSignal
  status(): S
  update(change: Partial<Omit<S, 'jobId' | 'state'>>): void
}

export interface JobRegistry<S extends JobStatus> {
  /**
   * Starts `run` in the background with a status made from `initial`. What `run` resolves with is merged into the
   * status, which is `done` unless that says otherwise (an import stopped between units resolves `cancelled`); a
   * rejection is `cancelled` when the job was cancelled and `failed` otherwise, with its message.
   */
  start(initial: (jobId: string) => Omit<S, 'jobId' | 'state' | 'error'>, run: JobRun<S>): S
  /** Null for an id never started here, or one forgotten since. */
  status(jobId: string): S | null
  /** Asks the job to stop; its status says when it has. */
  cancel(jobId: string): S | null
  cancelAll(): void
}

export type JobRun<S extends JobStatus> = (job: RunningJob<S>) => Promise<Partial<Omit<S, 'jobId'>>>

/** Finished jobs kept for their status. */
export const KEPT_JOBS = 20

export function jobRegistry<S extends JobStatus>(kept = KEPT_JOBS): JobRegistry<S> {
  const jobs = new Map<string, { status: S; abort: AbortController }>()
  const update = (jobId: string, change: Partial<S>) => {
    const job = jobs.get(jobId)
    if (job) job.status = { ...job.status, ...change }
  }
  // Maps keep insertion order, so the finished jobs dropped are the oldest started.
  const forgetOld = () => {
    const finished = [...jobs.entries()].filter(([, job]) => job.status.state !== 'running')
    for (const [id] of finished.slice(0, Math.max(0, finished.length - kept))) jobs.delete(id)
  }
  return {
    start(initial, run) {
      forgetOld()
      const jobId = randomUUID()
      const abort = new AbortController()
      const status = { ...initial(jobId), jobId, state: 'running', error: null } as S
      jobs.set(jobId, { status, abort })
      const job: RunningJob<S> = {
        signal: abort.signal,
        status: () => jobs.get(jobId)?.status ?? status,
        update: (change) => update(jobId, change as Partial<S>),
      }
      // A job that throws before its first await still ends as a status, never as an exception of start().
      Promise.resolve()
        .then(() => run(job))
        .then(
          (end) => update(jobId, { state: 'done', ...end } as Partial<S>),
          (error: unknown) =>
            update(jobId, {
              state: abort.signal.aborted ? 'cancelled' : 'failed',
              error: error instanceof Error ? error.message : String(error),
            } as Partial<S>),
        )
      return status
    },
    status: (jobId) => jobs.get(jobId)?.status ?? null,
    cancel(jobId) {
      const job = jobs.get(jobId)
      job?.abort.abort()
      return job?.status ?? null
    },
    cancelAll() {
      for (const job of jobs.values()) job.abort.abort()
    },
  }
}

/** A job's status as the API answers it: an unknown id is NOT_FOUND, saying why it may be unknown. */
export function jobAnswer<S>(kind: string, jobId: string, status: S | null): Result<S> {
  return status
    ? ok(status)
    : fail('NOT_FOUND', `No ${kind} ${jobId.slice(0, 100)} is known (they are kept for a while only).`)
}
