import { useState, type FormEvent } from 'react'
import type { ChronicleApi, SettingsInfo } from '../../../shared/api/contract'

/** This device's name, as every device that syncs shows it, and its id, which never changes. */
export function DeviceSection({
  api,
  device,
  onSettings,
}: {
  readonly api: ChronicleApi
  readonly device: SettingsInfo['device']
  readonly onSettings: (settings: SettingsInfo) => void
}) {
  const [name, setName] = useState(device.name)
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null)
  const save = async (event: FormEvent) => {
    event.preventDefault()
    const result = await api.call('renameDevice', { name })
    if (!result.ok) return setMessage({ error: true, text: result.error.message })
    const settings = result.value as SettingsInfo
    onSettings(settings)
    setName(settings.device.name)
    setMessage({ error: false, text: 'Saved; other devices show the new name once they sync.' })
  }
  return (
    <section className="settings-section" aria-labelledby="device-heading">
      <h2 id="device-heading">This device</h2>
      <form className="device-form" onSubmit={(event) => void save(event)}>
        <label>
          Name
          <input
            value={name}
            maxLength={100}
            onChange={(event) => setName(event.target.value)}
            aria-label="Device name"
          />
        </label>
        <button type="submit" disabled={name.trim() === '' || name === device.name}>
          Rename
        </button>
      </form>
      {message && (
        <p role={message.error ? 'alert' : 'status'} className={message.error ? 'settings-error' : 'muted'}>
          {message.text}
        </p>
      )}
      <p className="muted">
        Device id <code>{device.id}</code>
      </p>
    </section>
  )
}
