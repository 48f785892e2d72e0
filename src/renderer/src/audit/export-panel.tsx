import { useState } from 'react'
import type { ChronicleApi } from '../../../shared/api/contract'
import { useApiJob } from '../api/use-api-job'
import { formatCount } from '../format'
import type { AuditFilterArgs } from './use-audit-feed'

const FORMATS = [
  ['ndjson', 'NDJSON (one event per line)'],
  ['csv', 'CSV (spreadsheets)'],
  ['json', 'JSON (one document)'],
] as const

/**
 * Export… from the audit view: the format, whether message content goes in, and whether secrets are masked; then
 * progress with a cancel, and where the export and its signed digest were written.
 */
export function ExportPanel({
  api,
  filters,
  onClose,
}: {
  readonly api: ChronicleApi
  /** The view's filters: the export holds what the view shows. */
  readonly filters: AuditFilterArgs
  readonly onClose: () => void
}) {
  const [format, setFormat] = useState<(typeof FORMATS)[number][0]>('ndjson')
  const [includeContent, setIncludeContent] = useState(false)
  const [redact, setRedact] = useState(true)
  const { job, error, running, start, cancel } = useApiJob({
    start: () => api.call('auditExportStart', { format, includeContent, redact, ...filters }),
    status: (jobId) => api.call('auditExportStatus', { jobId }),
    cancel: (jobId) => api.call('auditExportCancel', { jobId }),
  })

  return (
    <div className="export-panel" role="group" aria-label="Export the audit trail" data-testid="export-panel">
      <fieldset disabled={running}>
        <label>
          Format{' '}
          <select
            value={format}
            onChange={(event) => setFormat(event.target.value as typeof format)}
            aria-label="Export format"
          >
            {FORMATS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input
            type="checkbox"
            checked={includeContent}
            onChange={(event) => setIncludeContent(event.target.checked)}
          />{' '}
          Include message previews
        </label>
        <label>
          <input type="checkbox" checked={redact} onChange={(event) => setRedact(event.target.checked)} />{' '}
          Mask API keys and tokens
        </label>
        {Object.keys(filters).length > 0 && <span className="muted">Only the events the filters show.</span>}
      </fieldset>
      <div className="export-actions">
        {running ? (
          <button type="button" onClick={() => void cancel()}>
            Cancel export
          </button>
        ) : (
          <button type="button" className="primary" onClick={() => void start()}>
            Start export
          </button>
        )}
        <button type="button" onClick={onClose} disabled={running}>
          Close
        </button>
      </div>
      {running && job && (
        <p data-testid="export-progress">
          <progress max={Math.max(job.total, 1)} value={job.done} /> {formatCount(job.done)} of{' '}
          {formatCount(job.total)} events
        </p>
      )}
      {job?.state === 'done' && (
        <p data-testid="export-done" role="status">
          Exported {formatCount(job.done)} events to <code>{job.file}</code>, with its signed digest{' '}
          <code>{job.digestFile}</code>
          {redact ? `; ${formatCount(job.masked)} secrets masked` : ''}. Check it with{' '}
          <code>chronicle audit verify</code>.
        </p>
      )}
      {job?.state === 'cancelled' && <p role="status">The export was cancelled; no file was left behind.</p>}
      {(job?.state === 'failed' || error) && (
        <p role="alert" className="search-error">
          The export failed: {job?.error ?? error}
        </p>
      )}
    </div>
  )
}
