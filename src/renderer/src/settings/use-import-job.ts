import { useEffect, useState } from 'react'
import type { ChronicleApi, ImportJobStatus } from '../../../shared/api/contract'

const POLL_MS = 250

/** An "Import now" job: started here, then asked for until it ends, with cancel. */
export function useImportJob(api: ChronicleApi, onEnd: () => void) {
  const [job, setJob] = useState<ImportJobStatus | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    if (job?.state !== 'running') return
    const timer = setTimeout(() => {
      void api.call('importStatus', { jobId: job.jobId }).then((result) => {
        if (!result.ok) return setError(result.error.message)
        const next = result.value as ImportJobStatus
        setJob(next)
        if (next.state !== 'running') onEnd()
      })
    }, POLL_MS)
    return () => clearTimeout(timer)
  }, [api, job, onEnd])

  return {
    job,
    error,
    running: job?.state === 'running',
    /** One source, or every enabled one (null). */
    async start(path: string | null) {
      setError(null)
      const result = await api.call('importStart', path === null ? {} : { path })
      if (result.ok) setJob(result.value as ImportJobStatus)
      else setError(result.error.message)
    },
    async cancel() {
      if (!job) return
      const result = await api.call('importCancel', { jobId: job.jobId })
      if (result.ok) setJob(result.value as ImportJobStatus)
    },
  }
}
