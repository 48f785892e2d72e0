import type { HubStatus } from './use-hub-status'
import type { PageSync } from './use-page-sync'

export type SyncState =
  | { readonly kind: 'offline'; readonly label: string }
  | { readonly kind: 'syncing'; readonly label: string; readonly count: number }
  | { readonly kind: 'synced'; readonly label: string }

/**
 * Offline when the page cannot reach the hub; syncing while events are on their way either direction, or while
 * changes in the repository are still to become events (the first launch on a large library).
 */
export function syncState(page: PageSync, hub: HubStatus): SyncState {
  if (hub.state === 'unreachable' || !page.connected) return { kind: 'offline', label: 'Offline' }
  const behind = hub.state === 'ready' ? Math.max(0, hub.status.hubHead - page.head) : 0
  const backlog = hub.state === 'ready' ? hub.status.repositoryBacklog : 0
  const count = behind + page.pending + backlog
  if (count > 0) return { kind: 'syncing', label: `Syncing ${count.toLocaleString()}`, count }
  return { kind: 'synced', label: 'Synced' }
}

/** The header's one-glance answer to "is everything here and sent?"; it opens the devices view. */
export function SyncIndicator({ state, onOpen }: { readonly state: SyncState; readonly onOpen: () => void }) {
  return (
    <button
      type="button"
      className={`sync-indicator sync-${state.kind}`}
      data-testid="sync-indicator"
      data-state={state.kind}
      title="Devices and sync"
      onClick={onOpen}
    >
      <span className="dot" aria-hidden="true" />
      {state.label}
    </button>
  )
}
