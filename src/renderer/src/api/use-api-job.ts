/**
 * A background job of the main side (an import, an export) as the page follows it: started here, its status
 * asked for until it ends, with cancel. `onEnd` hears the status that ended it, once.
 */
import { useState } from 'react'
import type { Result } from '../../../shared/result'
import { usePolling } from './use-polling'

const POLL_MS = 250

interface JobStatus {
  readonly jobId: string
  readonly state: 'running' | 'done' | 'failed' | 'cancelled'
}

export interface JobCalls<S extends JobStatus, A extends unknown[]> {
  start(...args: A): Promise<Result<S>>
  status(jobId: string): Promise<Result<S>>
  cancel(jobId: string): Promise<Result<S>>
}

export function useApiJob<S extends JobStatus, A extends unknown[]>(
  calls: JobCalls<S, A>,
  onEnd?: (job: S) => void,
) {
  const [job, setJob] = useState<S | null>(null)
  const [error, setError] = useState<string | null>(null)
  const running = job?.state === 'running'

  usePolling(
    () => calls.status(job?.jobId ?? ''),
    (result) => {
      if (!result.ok) return setError(result.error.message)
      setJob(result.value)
      if (result.value.state !== 'running') onEnd?.(result.value)
    },
    POLL_MS,
    running,
  )

  return {
    job,
    error,
    running,
    async start(...args: A) {
      setError(null)
      const result = await calls.start(...args)
      if (result.ok) setJob(result.value)
      else setError(result.error.message)
    },
    async cancel() {
      if (!job) return
      const result = await calls.cancel(job.jobId)
      if (result.ok) setJob(result.value)
    },
  }
}
