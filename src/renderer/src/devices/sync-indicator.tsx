import type { HubStatus } from './use-hub-status'
import type { PageSync } from './use-page-sync'

export type SyncState =
  | { readonly kind: 'offline'; readonly label: string; readonly detail?: string }
  | { readonly kind: 'refused'; readonly label: string; readonly detail: string }
  | { readonly kind: 'syncing'; readonly label: string; readonly count: number }
  | { readonly kind: 'synced'; readonly label: string }

const changes = (n: number) => `${n.toLocaleString()} ${n === 1 ? 'change' : 'changes'}`

/**
 * Offline when the page cannot reach the hub; syncing while events are on their way either direction, or while
 * changes in the repository are still to become events (the first launch on a large library). With a sync worker,
 * against the worker: offline while it cannot be reached, with what waits to go up; refused (not offline) when it
 * turned this machine away; syncing until this machine holds the worker's head and the worker holds its changes.
 */
export function syncState(page: PageSync, hub: HubStatus): SyncState {
  if (hub.state === 'unreachable' || !page.connected) return { kind: 'offline', label: 'Offline' }
  if (hub.state !== 'ready') return counted(page.pending, true)
  const { hubHead, repositoryBacklog, remote } = hub.status
  const behind = Math.max(0, hubHead - page.head)
  if (remote === null) return counted(behind + page.pending + repositoryBacklog, true)
  // Without a worker the hub confirms at once; with one, what the app made waits for the worker's confirmation.
  const waiting = page.pending + repositoryBacklog + hub.status.unconfirmed
  const { connection } = remote
  if (connection.state === 'refused')
    return { kind: 'refused', label: 'Sync refused', detail: `The sync worker refused: ${connection.reason}` }
  if (connection.state !== 'connected')
    return {
      kind: 'offline',
      label: waiting > 0 ? `Offline: ${changes(waiting)} waiting` : 'Offline',
      detail:
        connection.state === 'unreachable'
          ? `The sync worker cannot be reached: ${connection.reason}`
          : 'Connecting to the sync worker',
    }
  const toPull = Math.max(0, (remote.remoteHead ?? 0) - remote.localHead)
  return counted(behind + waiting + toPull, connection.caughtUp)
}

function counted(count: number, caughtUp: boolean): SyncState {
  if (count > 0) return { kind: 'syncing', label: `Syncing ${count.toLocaleString()}`, count }
  return caughtUp ? { kind: 'synced', label: 'Synced' } : { kind: 'syncing', label: 'Syncing', count: 0 }
}

/** The header's one-glance answer to "is everything here and sent?"; it opens the devices view. */
export function SyncIndicator({ state, onOpen }: { readonly state: SyncState; readonly onOpen: () => void }) {
  return (
    <button
      type="button"
      className={`sync-indicator sync-${state.kind}`}
      data-testid="sync-indicator"
      data-state={state.kind}
      title={'detail' in state ? `${state.detail}. Devices and sync` : 'Devices and sync'}
      onClick={onOpen}
    >
      <span className="dot" aria-hidden="true" />
      {state.label}
    </button>
  )
}
