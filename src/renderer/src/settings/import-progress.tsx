import type { ImportJobStatus } from '../../../shared/api/contract'
import { formatCount } from '../format'

const STATE_TEXT: Record<ImportJobStatus['state'], string> = {
  running: 'Importing',
  done: 'Imported',
  cancelled: 'Cancelled',
  failed: 'Failed',
}

/** Where an import is: a bar against the units there are, what it reads now, then what it added. */
export function ImportProgress({
  job,
  onCancel,
}: {
  readonly job: ImportJobStatus
  readonly onCancel: () => void
}) {
  const counting = job.state === 'running' && job.unitsTotal === 0
  return (
    <div className="import-progress" data-testid="import-progress" data-state={job.state} role="status">
      <div className="import-progress-line">
        <strong>{STATE_TEXT[job.state]}</strong>
        {counting ? (
          <span className="muted">Counting what there is to read…</span>
        ) : (
          <span className="muted">
            {formatCount(job.unitsDone)} of {formatCount(job.unitsTotal)} read ·{' '}
            {formatCount(job.messagesWritten)} messages written
          </span>
        )}
        {job.state === 'running' && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
      <progress
        max={Math.max(1, job.unitsTotal)}
        value={counting ? undefined : Math.min(job.unitsDone, job.unitsTotal)}
        aria-label="Import progress"
      />
      {job.state === 'running' && job.current !== '' && (
        <p className="import-current muted" title={job.current}>
          {job.current}
        </p>
      )}
      {job.state !== 'running' && (
        <p data-testid="import-result">
          {formatCount(job.added.conversations)} new conversations, {formatCount(job.added.messages)} new
          messages
          {job.problems.length > 0 && `; ${formatCount(job.problems.length)} files could not be read`}.
          {job.error && <span role="alert"> {job.error}</span>}
        </p>
      )}
      {job.problems.length > 0 && (
        <details>
          <summary>Files that could not be read</summary>
          <ul className="import-problems">
            {job.problems.map((p) => (
              <li key={p.path}>
                <code>{p.path}</code>: {p.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  )
}
