import { useCallback, useEffect, useState } from 'react'
import type { ChronicleApi, SettingsInfo } from '../../../shared/api/contract'
import type { Failure } from '../../../shared/result'
import { DeviceSection } from './device-section'
import { PricesSection } from './prices-section'
import { SourcesSection } from './sources-section'
import { SyncSection } from './sync-section'
import './settings.css'

/** Settings: the sources imported and watched, this device's name, sync between machines, and where the data lives. */
export function SettingsView({ api }: { readonly api: ChronicleApi }) {
  const [settings, setSettings] = useState<SettingsInfo | null>(null)
  const [error, setError] = useState<Failure | null>(null)
  const [attempt, setAttempt] = useState(0)
  const reload = useCallback(() => setAttempt((n) => n + 1), [])

  useEffect(() => {
    let current = true
    void api.call('settings', {}).then((result) => {
      if (!current) return
      if (result.ok) {
        setSettings(result.value as SettingsInfo)
        setError(null)
      } else setError(result.error)
    })
    return () => {
      current = false
    }
  }, [api, attempt])

  if (error && !settings)
    return (
      <div className="settings-view" role="alert">
        <p>Settings could not be read: {error.message}</p>
        <button type="button" onClick={reload}>
          Try again
        </button>
      </div>
    )
  if (!settings)
    return (
      <p className="settings-view muted" aria-busy="true">
        Loading settings…
      </p>
    )
  return (
    <div className="settings-view" data-testid="settings">
      {settings.problem && (
        <p role="alert" className="settings-error">
          {settings.problem}
        </p>
      )}
      <SourcesSection
        api={api}
        sources={settings.sources}
        addSourceBy={settings.addSourceBy}
        onSettings={setSettings}
        onChanged={reload}
      />
      <DeviceSection key={settings.device.id} api={api} device={settings.device} onSettings={setSettings} />
      <SyncSection api={api} />
      <PricesSection api={api} />
      <section className="settings-section" aria-labelledby="data-heading">
        <h2 id="data-heading">Data</h2>
        <p>
          Conversations, the audit trail and this device&apos;s keys are kept in{' '}
          <code data-testid="data-dir">{settings.dataDir}</code>{' '}
          <button type="button" onClick={() => void navigator.clipboard?.writeText(settings.dataDir)}>
            Copy
          </button>
        </p>
        <p className="muted">
          To keep them elsewhere, quit Chronicle, move the folder, and start it with <code>--data-dir</code>{' '}
          (or <code>CHRONICLE_DATA_DIR</code>) naming the new place.
        </p>
      </section>
    </div>
  )
}
