import type { RemoteSyncStatus } from '../../shared/api/contract'
import type { Relay, RelayConnection } from './relay'

/** The relay's connection as the page and `sync status` read it: a refusal's HTTP status goes into its reason. */
export function remoteConnection(connection: RelayConnection): RemoteSyncStatus['connection'] {
  if (connection.state !== 'refused') return connection
  const { status, reason } = connection
  return { state: 'refused', reason: status > 0 ? `HTTP ${status}: ${reason}` : reason }
}

/** What the page and `sync status` both show of the relay: its connection, the worker's head and this machine's. */
export function relayHeads(relay: Relay): Pick<RemoteSyncStatus, 'connection' | 'remoteHead' | 'localHead'> {
  const { connection, remoteHead, localHead } = relay.status()
  return { connection: remoteConnection(connection), remoteHead, localHead }
}

const STATES = new Set(['connecting', 'connected', 'unreachable', 'refused', 'stopped'])

/** Whether a value read back (from the status file) has the shape of a connection. */
export function isRemoteConnection(value: unknown): value is RemoteSyncStatus['connection'] {
  return (
    typeof value === 'object' && value !== null && STATES.has((value as { state?: unknown }).state as string)
  )
}
