import { Suspense } from 'react'
import type { ChronicleApi } from '../../shared/api/contract'
import { ChronicleStoreProvider, LoadedStore } from './livestore/chronicle-store'
import { storeDirectory } from './livestore/store-options'
import { OpeningLibrary } from './shell/opening-library'
import { Shell } from './shell/shell'
import { StoreErrorBoundary } from './shell/store-error-boundary'
import { useReloadWhenLibraryChanges } from './livestore/library-changed'
import { usePageReloading } from './livestore/page-reload'
import { useSession } from './shell/use-session'

/** The page: its session with the main side, then its own store, then the views. */
export function App({ api }: { readonly api: ChronicleApi }) {
  const session = useSession(api)
  useReloadWhenLibraryChanges()
  const reloading = usePageReloading()
  if (reloading) return <p className="blocking-state muted">Loading again…</p>
  if (session.status === 'loading') return <p className="blocking-state muted">Connecting to Chronicle…</p>
  if (session.status === 'failed')
    return (
      <div className="blocking-state" role="alert">
        <p>{session.error.message}</p>
        <button type="button" onClick={session.retry}>
          Try again
        </button>
      </div>
    )
  return (
    <ChronicleStoreProvider session={session.session}>
      <StoreErrorBoundary directory={storeDirectory(session.session)}>
        <Suspense fallback={<OpeningLibrary />}>
          <LoadedStore>
            <Shell api={api} />
          </LoadedStore>
        </Suspense>
      </StoreErrorBoundary>
    </ChronicleStoreProvider>
  )
}
