/**
 * Who the hub sees connected right now, and its head: asked every second while the page is visible (the hub keeps
 * presence in memory, so each answer is a few hundred bytes and no disk read). Connections and disconnections
 * are also events in the page's store; this adds what only the hub knows: acknowledged heads, last seen.
 */
import { useState } from 'react'
import type { ChronicleApi, SyncStatus } from '../../../shared/api/contract'
import { usePolling } from '../api/use-polling'

const POLL_MS = 1_000

export type HubStatus =
  | { readonly state: 'loading' }
  | { readonly state: 'ready'; readonly status: SyncStatus; readonly at: number }
  | { readonly state: 'unreachable'; readonly message: string; readonly since: number }

export function useHubStatus(api: ChronicleApi): HubStatus {
  const [status, setStatus] = useState<HubStatus>({ state: 'loading' })
  usePolling(
    () => api.call('syncStatus', {}),
    (result) =>
      setStatus((previous) =>
        result.ok
          ? { state: 'ready', status: result.value, at: Date.now() }
          : {
              state: 'unreachable',
              message: result.error.message,
              since: previous.state === 'unreachable' ? previous.since : Date.now(),
            },
      ),
    POLL_MS,
  )
  return status
}
