/**
 * What the page shows while its store opens: a line, with LiveStore's progress when it has some (a rebuild after
 * an update can take a while), and, if the store reports nothing for far longer than it should (a store LiveStore
 * cannot open and does not say so), what is going on and the way out: rebuild this window's copy.
 */
import { useEffect, useState } from 'react'
import { describeOpening, useBootProgress } from '../livestore/boot-progress'
import { useSessionInfo } from '../livestore/chronicle-store'
import { storeDirectory } from '../livestore/store-options'
import { RebuildStoreButton } from './rebuild-store-button'

/** A store opens in about a second, and reports its progress when it has more to do. */
export const STALLED_OPEN_MS = 20_000

export function OpeningLibrary() {
  const session = useSessionInfo()
  const progress = useBootProgress()
  // Stalled: no report since the one this timer started at. A new report starts the wait again.
  const [stalledAt, setStalledAt] = useState<number | null>(null)
  useEffect(() => {
    const timer = setTimeout(() => setStalledAt(progress.reports), STALLED_OPEN_MS)
    return () => clearTimeout(timer)
  }, [progress.reports])
  const stalled = stalledAt === progress.reports
  if (!stalled) return <p className="blocking-state muted">{describeOpening(progress)}</p>
  return (
    <div className="blocking-state" role="status" data-testid="stalled-open">
      <h2>Your library is taking long to open</h2>
      <p className="muted">
        This window keeps a copy of your history in the browser&apos;s storage and syncs it with Chronicle. A
        damaged copy may never open. Rebuilding it fetches everything again from Chronicle; only edits made in
        this window that have not synced yet would be lost.
      </p>
      <RebuildStoreButton directory={storeDirectory(session)} />
    </div>
  )
}
