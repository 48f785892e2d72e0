import type { ChronicleApi } from '../../../shared/api/contract'
import { useApiJob } from '../api/use-api-job'

/** An "Import now" job of one source, or of every enabled one (null); `onEnd` reads the settings again. */
export function useImportJob(api: ChronicleApi, onEnd: () => void) {
  return useApiJob(
    {
      start: (path: string | null) => api.call('importStart', path === null ? {} : { path }),
      status: (jobId) => api.call('importStatus', { jobId }),
      cancel: (jobId) => api.call('importCancel', { jobId }),
    },
    onEnd,
  )
}
