import { useEffect, useState } from 'react'
import { AUDIT_ACTIONS } from '../../../shared/audit/audit-actions'
import type { AuditRecord } from '../../../shared/audit/audit-record'
import type { ChronicleApi } from '../../../shared/api/contract'
import type { Failure } from '../../../shared/result'
import { formatCount, formatTime } from '../format'
import { ExportPanel } from './export-panel'

const PAGE = 100

type Loaded = {
  readonly records: readonly AuditRecord[]
  readonly head: number
  readonly nextBefore: number | null
}

const actionLabel = (action: string) => action.replace(/^v\d+\./, '')

/**
 * The audit trail: every change from every device, newest first, a page at a time from the hub's eventlog, with
 * a filter by action and an export of what is shown. (The full view, virtualised with a live tail, comes with
 * the reactive UI.)
 */
export function AuditPanel({ api }: { readonly api: ChronicleApi }) {
  const [action, setAction] = useState<string>('')
  const [loaded, setLoaded] = useState<Loaded | null>(null)
  const [error, setError] = useState<Failure | null>(null)
  const [loading, setLoading] = useState(false)
  const [exporting, setExporting] = useState(false)

  const [refreshes, setRefreshes] = useState(0)

  // The newest page, whenever the filter changes or Refresh is pressed; answers for an older filter are dropped.
  useEffect(() => {
    let current = true
    void api.call('auditPage', { limit: PAGE, ...(action && { action }) }).then((result) => {
      if (!current) return
      setError(result.ok ? null : result.error)
      if (result.ok) setLoaded(result.value as Loaded)
    })
    return () => {
      current = false
    }
  }, [api, action, refreshes])

  const loadOlder = async (before: number) => {
    setLoading(true)
    const result = await api.call('auditPage', { limit: PAGE, before, ...(action && { action }) })
    setLoading(false)
    setError(result.ok ? null : result.error)
    if (!result.ok) return
    const page = result.value as Loaded
    setLoaded((previous) => ({ ...page, records: [...(previous?.records ?? []), ...page.records] }))
  }

  return (
    <section
      className="audit"
      aria-label="Audit trail"
      data-testid="audit"
      data-state={loaded ? 'ready' : 'loading'}
    >
      <div className="audit-toolbar">
        <label>
          Action{' '}
          <select
            value={action}
            onChange={(event) => setAction(event.target.value)}
            aria-label="Filter by action"
          >
            <option value="">All actions</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {actionLabel(a)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => setRefreshes((n) => n + 1)} disabled={loading}>
          Refresh
        </button>
        <span className="muted" data-testid="audit-head">
          {loaded ? `${formatCount(loaded.head)} events in the log` : ''}
        </span>
        <button
          type="button"
          className="primary"
          onClick={() => setExporting((open) => !open)}
          aria-expanded={exporting}
        >
          Export…
        </button>
      </div>
      {exporting && <ExportPanel api={api} action={action} onClose={() => setExporting(false)} />}
      {error && (
        <p role="alert" className="search-error">
          Could not load the audit trail: {error.message}
        </p>
      )}
      {loaded && loaded.records.length === 0 && (
        <p className="muted">No events{action ? ' of this kind' : ''} yet.</p>
      )}
      {loaded && loaded.records.length > 0 && (
        <table className="audit-table" data-testid="audit-table">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Time</th>
              <th scope="col">Device</th>
              <th scope="col">Actor</th>
              <th scope="col">Origin</th>
              <th scope="col">Action</th>
              <th scope="col">What happened</th>
            </tr>
          </thead>
          <tbody>
            {loaded.records.map((r) => (
              <tr key={r.seq} data-testid="audit-row">
                <td className="num">{r.seq}</td>
                <td className="nowrap">{r.time ? formatTime(Date.parse(r.time)) : ''}</td>
                <td title={r.deviceId}>{r.deviceName || r.deviceId}</td>
                <td>{r.actor}</td>
                <td>{r.origin}</td>
                <td>{actionLabel(r.action)}</td>
                <td className="summary">{r.summary}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {loaded?.nextBefore != null && (
        <button type="button" onClick={() => void loadOlder(loaded.nextBefore ?? 1)} disabled={loading}>
          Load older events
        </button>
      )}
    </section>
  )
}
