/**
 * Exports started from the UI: each runs in the background with progress and cancel, and the UI asks for its
 * status until it ends. The UI never names a path (a web page must not choose where the main side writes): the
 * file goes to the user's Downloads folder, or to `exports/` in the data directory where there is none.
 */
import { mkdirSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { ExportJobStatus } from '../../shared/api/contract'
import { jobRegistry } from '../jobs/job-registry'
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
  const jobs = jobRegistry<ExportJobStatus>()
  return {
    ...jobs,
    start(request: ExportJobRequest): ExportJobStatus {
      const directory = exportDirectory(context)
      return jobs.start(
        (jobId) => ({
          done: 0,
          total: 0,
          file: join(directory, exportFileName(request.format, new Date(), jobId.slice(0, 6))),
          digestFile: null,
          masked: 0,
        }),
        async (job) => {
          const result = await exportAudit(repository, {
            ...request,
            out: job.status().file,
            dataDir: context.dataDir,
            device: context.device,
            signal: job.signal,
            onProgress: ({ done, total }) => job.update({ done, total }),
          })
          return {
            digestFile: result.digestFile,
            masked: result.digest.redaction.masked,
            done: result.digest.records.count,
          }
        },
      )
    },
  }
}

export type ExportJobs = ReturnType<typeof exportJobs>
