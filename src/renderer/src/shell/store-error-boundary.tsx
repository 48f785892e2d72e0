import { Component, type ReactNode } from 'react'
import { reloadPage } from '../livestore/page-reload'
import { RebuildStoreButton } from './rebuild-store-button'
import { describeOpening, useBootProgress } from '../livestore/boot-progress'

/**
 * A store that cannot open (no OPFS in a private window, storage full, a newer app's files) shows why and how to go
 * on, instead of a blank page: load again, or rebuild the copy from the hub.
 */
export class StoreErrorBoundary extends Component<
  { readonly directory: string; readonly children: ReactNode },
  { error: Error | null }
> {
  override state: { error: Error | null } = { error: null }

  static getDerivedStateFromError(error: unknown) {
    return { error: error instanceof Error ? error : new Error(String(error)) }
  }

  override render() {
    const { error } = this.state
    if (!error) return this.props.children
    return <StoreError error={error} directory={this.props.directory} />
  }
}

function StoreError({ error, directory }: { readonly error: Error; readonly directory: string }) {
  const progress = useBootProgress()
  // A damaged state fails the page's first read of it while the leader is already rebuilding it; the page loads
  // again once that is done, so meanwhile it says how far the rebuild is rather than the error.
  if (progress.repairing)
    return (
      <p className="blocking-state muted" data-testid="store-repairing">
        {describeOpening(progress)}
      </p>
    )
  return (
    <div className="blocking-state" role="alert" data-testid="store-error">
      <h2>Chronicle could not open its local store</h2>
      <p>{error.message}</p>
      <p className="muted">
        This page keeps a copy of your history in the browser&apos;s private storage (OPFS). A private window,
        or storage that is full or turned off, prevents that; a damaged copy can be rebuilt from Chronicle.
      </p>
      <button type="button" onClick={() => void reloadPage()}>
        Reload
      </button>{' '}
      <RebuildStoreButton directory={directory} />
    </div>
  )
}
