/**
 * The job registry on its own: a job's status from start through progress to its end (done, failed, cancelled),
 * unknown ids, and the bound on finished jobs kept. Jobs here are promises the test settles, so every step is
 * seen exactly when it happens.
 */
import { describe, expect, it } from 'vitest'
import { jobAnswer, jobRegistry, type JobStatus, type RunningJob } from './job-registry'

interface CountStatus extends JobStatus {
  readonly done: number
  readonly label: string
}

/** A job the test drives: it sees the running job and settles when told. */
function controlled() {
  let job: RunningJob<CountStatus> | null = null
  let settle: { resolve: (end: Partial<CountStatus>) => void; reject: (error: unknown) => void } | null = null
  const run = (running: RunningJob<CountStatus>) =>
    new Promise<Partial<CountStatus>>((resolve, reject) => {
      job = running
      settle = { resolve, reject }
    })
  const started = async () => {
    await Promise.resolve()
    await Promise.resolve()
    if (!job || !settle) throw new Error('the job did not run')
    return { job: job as RunningJob<CountStatus>, ...(settle as NonNullable<typeof settle>) }
  }
  return { run, started }
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 0))
const initial = (jobId: string) => ({ done: 0, label: `job ${jobId.slice(0, 4)}` })

describe('job registry', () => {
  it('starts a job running, shows its progress, and ends it done with what it returned', async () => {
    const jobs = jobRegistry<CountStatus>()
    const { run, started } = controlled()
    const status = jobs.start(initial, run)
    expect(status).toMatchObject({ state: 'running', done: 0, error: null })
    expect(status.label).toBe(`job ${status.jobId.slice(0, 4)}`)
    const { job, resolve } = await started()
    job.update({ done: 3 })
    expect(jobs.status(status.jobId)).toMatchObject({ state: 'running', done: 3 })
    expect(job.status().done).toBe(3)
    resolve({ done: 5 })
    await settled()
    expect(jobs.status(status.jobId)).toMatchObject({ state: 'done', done: 5, error: null })
  })

  it('ends a job that rejects as failed, with the message', async () => {
    const jobs = jobRegistry<CountStatus>()
    const { run, started } = controlled()
    const { jobId } = jobs.start(initial, run)
    ;(await started()).reject(new Error('disk full'))
    await settled()
    expect(jobs.status(jobId)).toMatchObject({ state: 'failed', error: 'disk full' })
  })

  it('ends a job that throws before its first await as failed, not as an exception of start', async () => {
    const jobs = jobRegistry<CountStatus>()
    // Bad input: a run that throws synchronously.
    const { jobId } = jobs.start(initial, () => {
      throw new Error('no such folder')
    })
    await settled()
    expect(jobs.status(jobId)).toMatchObject({ state: 'failed', error: 'no such folder' })
  })

  it('cancels: the signal aborts, and the job ends cancelled whether it rejects or says so', async () => {
    const jobs = jobRegistry<CountStatus>()
    const rejecting = controlled()
    const first = jobs.start(initial, rejecting.run)
    const one = await rejecting.started()
    expect(jobs.cancel(first.jobId)).toMatchObject({ jobId: first.jobId, state: 'running' })
    expect(one.job.signal.aborted).toBe(true)
    one.reject(new Error('This operation was aborted'))
    const stopping = controlled()
    const second = jobs.start(initial, stopping.run)
    const two = await stopping.started()
    jobs.cancelAll()
    expect(two.job.signal.aborted).toBe(true)
    two.resolve({ state: 'cancelled', done: 1 })
    await settled()
    expect(jobs.status(first.jobId)).toMatchObject({ state: 'cancelled' })
    expect(jobs.status(second.jobId)).toMatchObject({ state: 'cancelled', done: 1, error: null })
  })

  it('knows no job it did not start, and the API answer says NOT_FOUND', () => {
    const jobs = jobRegistry<CountStatus>()
    // Bad input: an id nobody started, and a very long one.
    expect(jobs.status('no-such-job')).toBeNull()
    expect(jobs.cancel('no-such-job')).toBeNull()
    const answer = jobAnswer('export', 'x'.repeat(10_000), jobs.status('x'))
    expect(answer).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(answer.ok ? '' : answer.error.message.length).toBeLessThan(200)
  })

  it('keeps only the newest finished jobs, and never forgets a running one', async () => {
    const kept = 3
    const jobs = jobRegistry<CountStatus>(kept)
    const running = controlled()
    const long = jobs.start(initial, running.run)
    const finished: string[] = []
    for (let i = 0; i < 10; i += 1) {
      finished.push(jobs.start(initial, async () => ({ done: i })).jobId)
      await settled()
    }
    // Forgetting happens as a job starts: the last one started and the `kept` before it are there.
    jobs.start(initial, async () => ({}))
    const known = finished.filter((id) => jobs.status(id) !== null)
    expect(known).toEqual(finished.slice(-kept))
    expect(jobs.status(long.jobId)).toMatchObject({ state: 'running' })
    ;(await running.started()).resolve({})
  })
})
