import { useState } from 'react'
import type { ChronicleApi, SyncSetUpProgress } from '../../../shared/api/contract'
import { usePolling } from '../api/use-polling'
import { formatCount } from '../format'

const POLL_MS = 500

/**
 * A setup's history on its way to the worker, while syncSetUp runs: a large library takes tens of seconds, and
 * the main side counts what the worker holds (library-membership-progress.ts). Shown only while a setup runs, so
 * each setup starts from nothing; nothing is drawn until the worker has taken its first events.
 */
export function SetUpProgress({ api }: { readonly api: ChronicleApi }) {
  const [progress, setProgress] = useState<SyncSetUpProgress>(null)
  usePolling(
    () => api.call('syncSetUpProgress', {}),
    (result) => {
      if (result.ok) setProgress(result.value)
    },
    POLL_MS,
  )
  if (progress === null) return null
  const { sent, total } = progress
  return (
    <p className="sync-progress" data-testid="sync-setup-progress" data-sent={sent} data-total={total}>
      <progress max={total} value={sent} aria-label="This library's history sent to the worker" />
      Sending this library&apos;s history: {formatCount(sent)} of {formatCount(total)}{' '}
      {total === 1 ? 'event' : 'events'}
    </p>
  )
}
