/**
 * Exports started from the UI: each runs in the background with progress and cancel, and the UI asks for its
 * status until it ends. The UI never names a path (a web page must not choose where the main side writes): the
 * file goes to the user's Downloads folder, or to `exports/` in the data directory where there is none.
 */
import { randomUUID } from 'node:crypto'
import { mkdirSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { ExportJobStatus } from '../../shared/api/contract'
import type { Repository } from '../repository/repository'
import type { AuditFormat } from './audit-formats'
import type { AuditFilters } from './audit-query'
import { exportAudit, exportFileName } from './export-audit'

export interface ExportJobContext {
  readonly dataDir: string
  readonly device: { readonly id: string; readonly name: string }
  /** Where exports go; by default CHRONICLE_EXPORT_DIR, else ~/Downloads, else <data>/exports. */
  readonly exportDir?: string
}

export interface ExportJobRequest {
  readonly format: AuditFormat
  readonly filters: AuditFilters
  readonly includeContent: boolean
  readonly redact: boolean
}

/** Finished jobs kept for their status (the UI may ask once more after the end). */
const KEPT_JOBS = 20

function exportDirectory(context: ExportJobContext): string {
  const chosen = context.exportDir ?? process.env.CHRONICLE_EXPORT_DIR
  if (chosen) return chosen
  const downloads = join(homedir(), 'Downloads')
  try {
    if (statSync(downloads).isDirectory()) return downloads
  } catch {
    // No Downloads folder: the data directory it is.
  }
  const fallback = join(context.dataDir, 'exports')
  mkdirSync(fallback, { recursive: true })
  return fallback
}

export function exportJobs(repository: Repository, context: ExportJobContext) {
  const jobs = new Map<string, { status: ExportJobStatus; abort: AbortController }>()
  const update = (jobId: string, change: Partial<ExportJobStatus>) => {
    const job = jobs.get(jobId)
    if (job) job.status = { ...job.status, ...change }
  }
  const forgetOld = () => {
    const finished = [...jobs.entries()].filter(([, job]) => job.status.state !== 'running')
    for (const [id] of finished.slice(0, Math.max(0, finished.length - KEPT_JOBS))) jobs.delete(id)
  }
  return {
    start(request: ExportJobRequest): ExportJobStatus {
      forgetOld()
      const jobId = randomUUID()
      const file = join(
        exportDirectory(context),
        exportFileName(request.format, new Date(), jobId.slice(0, 6)),
      )
      const status: ExportJobStatus = {
        jobId,
        state: 'running',
        done: 0,
        total: 0,
        file,
        digestFile: null,
        masked: 0,
        error: null,
      }
      const abort = new AbortController()
      jobs.set(jobId, { status, abort })
      exportAudit(repository, {
        ...request,
        out: file,
        dataDir: context.dataDir,
        device: context.device,
        signal: abort.signal,
        onProgress: ({ done, total }) => update(jobId, { done, total }),
      }).then(
        (result) =>
          update(jobId, {
            state: 'done',
            digestFile: result.digestFile,
            masked: result.digest.redaction.masked,
            done: result.digest.records.count,
          }),
        (error: unknown) =>
          update(jobId, {
            state: abort.signal.aborted ? 'cancelled' : 'failed',
            error: error instanceof Error ? error.message : String(error),
          }),
      )
      return status
    },
    status: (jobId: string): ExportJobStatus | null => jobs.get(jobId)?.status ?? null,
    cancel(jobId: string): ExportJobStatus | null {
      jobs.get(jobId)?.abort.abort()
      return jobs.get(jobId)?.status ?? null
    },
  }
}

export type ExportJobs = ReturnType<typeof exportJobs>
