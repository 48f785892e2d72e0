import { useState } from 'react'
import type { ChronicleApi, SyncMembership } from '../../../shared/api/contract'
import { formatTime } from '../format'
import { PairingCode } from './sync-section-code'

/**
 * Syncing: the library and its worker, the pairing code for another machine (asked for only when wanted: it is a
 * secret), and leaving, which asks first.
 */
export function SyncRemote({
  api,
  remote,
  busy,
  onLeave,
  onError,
}: {
  readonly api: ChronicleApi
  readonly remote: NonNullable<SyncMembership['remote']>
  readonly busy: boolean
  readonly onLeave: () => void
  readonly onError: (message: string | null) => void
}) {
  const [code, setCode] = useState<string | null>(null)
  const [confirming, setConfirming] = useState(false)
  const showCode = async () => {
    const result = await api.call('syncPairingCode', {})
    if (!result.ok) return onError(result.error.message)
    onError(null)
    setCode(result.value.pairingCode)
  }
  const since = formatTime(Date.parse(remote.joinedAt))
  return (
    <>
      <dl className="sync-remote" data-testid="sync-remote" data-role={remote.role}>
        <dt>Library</dt>
        <dd>
          <code data-testid="sync-store-id">{remote.storeId}</code>
        </dd>
        <dt>Worker</dt>
        <dd>
          <code data-testid="sync-worker-url">{remote.url}</code>
        </dd>
        <dt>This machine</dt>
        <dd data-testid="sync-role">
          {remote.role === 'set-up' ? `Set up the library here on ${since}` : `Joined on ${since}`}
        </dd>
      </dl>
      <div className="sync-actions">
        {code === null ? (
          <button type="button" onClick={() => void showCode()} disabled={busy} data-testid="sync-show-code">
            Show pairing code
          </button>
        ) : (
          <button type="button" onClick={() => setCode(null)}>
            Hide pairing code
          </button>
        )}
        {!confirming && (
          <button
            type="button"
            onClick={() => {
              setCode(null)
              setConfirming(true)
            }}
            disabled={busy}
            data-testid="sync-leave"
          >
            Leave…
          </button>
        )}
      </div>
      {code !== null && (
        <>
          <p className="muted">
            To add another machine, paste this code into Settings → Sync between machines → Join a library
            there.
          </p>
          <PairingCode code={code} />
        </>
      )}
      {confirming && (
        <div className="sync-confirm" role="group" aria-labelledby="sync-leave-question">
          <p id="sync-leave-question">
            <strong>Leave this library?</strong> This machine stops syncing and its key is removed. Its
            library stays here as it is, and the other machines keep theirs. To sync again, join with a
            pairing code.
          </p>
          <button type="button" onClick={onLeave} disabled={busy} data-testid="sync-leave-confirm">
            Leave the library
          </button>{' '}
          <button type="button" onClick={() => setConfirming(false)} disabled={busy}>
            Cancel
          </button>
        </div>
      )}
    </>
  )
}
