import { useState } from 'react'
import type { ApiResponse, ChronicleApi, SettingsInfo, SourceStatus } from '../../../shared/api/contract'
import { formatCount, formatShortTime } from '../format'
import { AddSourceForm, FORMAT_LABELS } from './add-source-form'
import { ImportProgress } from './import-progress'
import { useImportJob } from './use-import-job'

type SettingsChange = 'addSource' | 'pickSourceFolder' | 'removeSource' | 'setSourceEnabled'

function sourceState(source: SourceStatus): string {
  if (!source.available) return 'Not found'
  if (!source.enabled) return 'Paused'
  // `chronicle serve --no-watch`: sources are imported only when asked.
  return source.watching ? 'Watching' : 'On request'
}

/**
 * The places Chronicle imports from: found on this machine or added here. Each can be imported now, paused or
 * removed; removing a source keeps the conversations already imported.
 */
export function SourcesSection({
  api,
  sources,
  addSourceBy,
  onSettings,
  onChanged,
}: {
  readonly api: ChronicleApi
  readonly sources: readonly SourceStatus[]
  readonly addSourceBy: SettingsInfo['addSourceBy']
  /** The settings as a change left them. */
  readonly onSettings: (settings: SettingsInfo) => void
  /** Something changed that the list should be read again for (an import ended). */
  readonly onChanged: () => void
}) {
  const [error, setError] = useState<string | null>(null)
  const importing = useImportJob(api, onChanged)

  const apply = async (change: Promise<ApiResponse<SettingsChange>>) => {
    const result = await change
    if (result.ok) {
      setError(null)
      onSettings(result.value as SettingsInfo)
      return true
    }
    setError(result.error.message)
    return false
  }

  return (
    <section className="settings-section" aria-labelledby="sources-heading" data-testid="sources-section">
      <div className="settings-heading">
        <h2 id="sources-heading">Sources</h2>
        <button
          type="button"
          onClick={() => void importing.start(null)}
          disabled={importing.running || !sources.some((s) => s.enabled && s.available)}
        >
          Import all now
        </button>
      </div>
      <p className="muted">
        Chronicle watches these folders and imports what your assistants write as they write it. Removing a
        source keeps the conversations already imported.
      </p>
      {sources.length === 0 ? (
        <p className="empty-state muted" data-testid="no-sources">
          No assistant history was found on this machine. Add the folder that holds it below.
        </p>
      ) : (
        <ul className="source-list">
          {sources.map((source) => (
            <li
              key={`${source.path}|${source.format}`}
              className="source"
              data-testid="source"
              data-path={source.path}
            >
              <div className="source-what">
                <strong>{FORMAT_LABELS[source.format]}</strong>
                <span className="badge">{source.origin === 'found' ? 'Found' : 'Added'}</span>
                <span
                  className={`source-state state-${sourceState(source).toLowerCase().replace(/ /g, '-')}`}
                >
                  {sourceState(source)}
                </span>
              </div>
              <code className="source-path" title={source.path}>
                {source.path}
              </code>
              <div className="source-last muted">
                {source.lastImport
                  ? `Last import ${formatShortTime(source.lastImport.at)}: ${formatCount(source.lastImport.conversations)} conversations, ${formatCount(source.lastImport.messages)} messages`
                  : 'Not imported since Chronicle started'}
              </div>
              <div className="source-actions">
                <button
                  type="button"
                  onClick={() => void importing.start(source.path)}
                  disabled={importing.running || !source.available}
                >
                  Import now
                </button>
                <button
                  type="button"
                  onClick={() =>
                    void apply(api.call('setSourceEnabled', { path: source.path, enabled: !source.enabled }))
                  }
                >
                  {source.enabled ? 'Pause' : 'Resume'}
                </button>
                <button
                  type="button"
                  onClick={() => void apply(api.call('removeSource', { path: source.path }))}
                >
                  Remove
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {importing.job && <ImportProgress job={importing.job} onCancel={() => void importing.cancel()} />}
      {importing.error && <p role="alert">{importing.error}</p>}
      <AddSourceForm api={api} by={addSourceBy} apply={apply} />
      {error && (
        <p role="alert" className="settings-error" data-testid="settings-error">
          {error}
        </p>
      )}
    </section>
  )
}
