/**
 * Who the hub sees connected right now, and its head: asked every second while the page is visible (the hub keeps
 * presence in memory, so each answer is a few hundred bytes and no disk read). Connections and disconnections
 * are also events in the page's store; this adds what only the hub knows: acknowledged heads, last seen.
 * An answer equal to the last one keeps the state as it was, so the shell that holds it does not redraw every
 * second for nothing.
 */
import { useState } from 'react'
import type { ChronicleApi, SyncStatus } from '../../../shared/api/contract'
import type { Result } from '../../../shared/result'
import { usePolling } from '../api/use-polling'

const POLL_MS = 1_000

export type HubStatus =
  | { readonly state: 'loading' }
  | { readonly state: 'ready'; readonly status: SyncStatus }
  | { readonly state: 'unreachable'; readonly message: string; readonly since: number }

const sameStatus = (previous: HubStatus, next: SyncStatus): boolean =>
  previous.state === 'ready' && JSON.stringify(previous.status) === JSON.stringify(next)

/** The state after an answer: the previous object itself when nothing changed (React then skips the redraw). */
export function nextHubStatus(previous: HubStatus, result: Result<SyncStatus>, now: number): HubStatus {
  if (result.ok)
    return sameStatus(previous, result.value) ? previous : { state: 'ready', status: result.value }
  return {
    state: 'unreachable',
    message: result.error.message,
    since: previous.state === 'unreachable' ? previous.since : now,
  }
}

export function useHubStatus(api: ChronicleApi): HubStatus {
  const [status, setStatus] = useState<HubStatus>({ state: 'loading' })
  usePolling(
    () => api.call('syncStatus', {}),
    (result) => setStatus((previous) => nextHubStatus(previous, result, Date.now())),
    POLL_MS,
  )
  return status
}
