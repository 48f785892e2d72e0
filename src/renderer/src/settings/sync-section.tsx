import { useCallback, useEffect, useState } from 'react'
import type { ChronicleApi, SyncJoinResult, SyncMembership } from '../../../shared/api/contract'
import type { Result } from '../../../shared/result'
import { JoinedOutcome, SetUpOutcome } from './sync-section-outcome'
import { MembershipProgress } from './sync-section-progress'
import { SyncRemote } from './sync-section-remote'
import { announceLibraryChanged } from '../livestore/library-changed'
import { reloadPage } from '../livestore/page-reload'
import { SyncStart } from './sync-section-start'

type Work = 'setup' | 'join' | 'leave'

const BUSY_TEXT: Record<Work, string> = {
  setup: 'Setting up the library on the worker and sending this library up…',
  join: 'Joining the library…',
  leave: 'Leaving the library…',
}

type Outcome =
  | { readonly kind: 'set-up'; readonly pairingCode: string; readonly eventsSent: number }
  | {
      readonly kind: 'joined'
      readonly merged: NonNullable<SyncJoinResult['merged']>
      readonly claimedNow: boolean
    }

/**
 * Sync between machines: set up a library on a sync worker, join one with a pairing code, show the code again,
 * leave. Setup, join and leave close and re-open the app's sync, and may give the hub another eventlog: the page
 * reloads after them (replaced-library.ts finds the change on load), once the user has read what they must.
 */
export function SyncSection({ api }: { readonly api: ChronicleApi }) {
  const [membership, setMembership] = useState<SyncMembership | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState<Work | null>(null)
  const [outcome, setOutcome] = useState<Outcome | null>(null)

  const readMembership = useCallback(
    () =>
      api.call('syncMembership', {}).then((result) => {
        if (result.ok) setMembership(result.value)
        else setError(result.error.message)
      }),
    [api],
  )
  useEffect(() => void readMembership(), [readMembership])

  /** Runs one change with the buttons disabled; a refusal is shown as it is, and the state read again. */
  const perform = async <T,>(work: Work, call: () => Promise<Result<T>>): Promise<T | null> => {
    setBusy(work)
    setError(null)
    const result = await call()
    setBusy(null)
    if (result.ok) {
      announceLibraryChanged()
      return result.value
    }
    setError(result.error.message)
    // A change that failed half-way may have left a key behind (strayKey): show what is there now.
    void readMembership()
    return null
  }
  const setUp = async (url: string, claimSecret: string) => {
    const done = await perform('setup', () =>
      api.call('syncSetUp', { url, ...(claimSecret !== '' && { claimSecret }) }),
    )
    if (!done) return
    setMembership(done)
    setOutcome({ kind: 'set-up', pairingCode: done.pairingCode, eventsSent: done.eventsSent })
  }
  const join = async (pairingCode: string) => {
    const done = await perform('join', () => api.call('syncJoin', { pairingCode }))
    if (!done) return
    setMembership(done)
    if (done.merged) setOutcome({ kind: 'joined', merged: done.merged, claimedNow: done.claimedNow })
    else void reloadPage()
  }
  const leave = async () => {
    if (await perform('leave', () => api.call('syncLeave', {}))) void reloadPage()
  }

  const remote = membership?.remote ?? null
  return (
    <section
      className="settings-section sync-section"
      aria-labelledby="sync-heading"
      aria-busy={busy !== null}
      data-testid="sync-section"
      data-state={membership === null ? 'loading' : remote ? 'syncing' : 'not-syncing'}
    >
      <h2 id="sync-heading">Sync between machines</h2>
      {outcome?.kind === 'set-up' ? (
        <SetUpOutcome pairingCode={outcome.pairingCode} eventsSent={outcome.eventsSent} />
      ) : outcome?.kind === 'joined' ? (
        <JoinedOutcome merged={outcome.merged} claimedNow={outcome.claimedNow} />
      ) : membership === null ? (
        !error && (
          <p className="muted" aria-busy="true">
            Reading the sync settings…
          </p>
        )
      ) : remote ? (
        <SyncRemote
          api={api}
          remote={remote}
          busy={busy !== null}
          onLeave={() => void leave()}
          onError={setError}
        />
      ) : (
        <SyncStart
          strayKey={membership.strayKey}
          busy={busy !== null}
          onSetUp={(url, claimSecret) => void setUp(url, claimSecret)}
          onJoin={(code) => void join(code)}
          onLeave={() => void leave()}
        />
      )}
      {busy && (
        <p role="status" className="sync-busy" data-testid="sync-busy">
          <span className="sync-spinner" aria-hidden="true" />
          {BUSY_TEXT[busy]} Sync pauses meanwhile; this takes a few seconds, or longer for a large library.
        </p>
      )}
      {(busy === 'setup' || busy === 'join') && <MembershipProgress api={api} />}
      {error && (
        <p role="alert" className="settings-error" data-testid="sync-error">
          {error}
        </p>
      )}
    </section>
  )
}
