/**
 * Every device that ever synced with this hub, and how each stands now: what the page's store knows (registered
 * devices, their last connections, from events) joined with what the hub sees this second (clients, heads).
 */
import { queryDb } from '@livestore/livestore'
import type {
  ChronicleApi,
  ConnectedClientStatus,
  RefusedConnectionStatus,
} from '../../../shared/api/contract'
import { tables } from '../../../shared/livestore/schema'
import { formatCount, formatTime } from '../format'
import { useChronicleStore, useSessionInfo } from '../livestore/chronicle-store'
import { RemoteSync } from './remote-sync'
import type { HubStatus } from './use-hub-status'
import type { PageSync } from './use-page-sync'

const devices$ = queryDb(tables.devices.orderBy('registeredAt', 'asc'), { label: 'devices' })

export function DevicesView({
  api,
  hub,
  page,
}: {
  readonly api: ChronicleApi
  readonly hub: HubStatus
  readonly page: PageSync
}) {
  const store = useChronicleStore()
  const { device: thisDevice } = useSessionInfo()
  const devices = store.useQuery(devices$)
  const clients = hub.state === 'ready' ? hub.status.clients : []
  const refusedConnections = hub.state === 'ready' ? hub.status.refusedConnections : []
  const hubHead = hub.state === 'ready' ? hub.status.hubHead : null
  const backlog = hub.state === 'ready' ? hub.status.repositoryBacklog : 0
  const clientsOf = (deviceId: string) => clients.filter((client) => client.deviceId === deviceId)
  // Another machine of the library is not this hub's client: the worker says whether it is online.
  const machines = hub.state === 'ready' ? hub.status.remote?.machines : null
  const elsewhere = new Set(
    machines && 'list' in machines
      ? machines.list.filter((m) => m.online && !m.thisMachine).map((m) => m.machineId)
      : [],
  )
  return (
    <section className="devices" aria-label="Devices" data-testid="devices">
      <header className="devices-header">
        <h2>Devices</h2>
        <p className="muted">
          {hub.state === 'unreachable'
            ? `The hub is unreachable: ${hub.message}`
            : `Hub head ${hubHead === null ? '…' : formatCount(hubHead)} · this page has ${formatCount(page.head)}` +
              (page.pending > 0 ? ` · ${formatCount(page.pending)} of its events pending` : '') +
              (backlog > 0 ? ` · ${formatCount(backlog)} changes in the repository still to sync` : '')}
        </p>
      </header>
      {hub.state === 'ready' && hub.status.remote !== null && (
        <RemoteSync
          remote={hub.status.remote}
          waiting={page.pending + backlog + hub.status.unconfirmed}
          onRetry={() => void api.call('syncRetry', {})}
        />
      )}
      {devices.length === 0 ? (
        <p className="empty-state muted">No device has registered yet.</p>
      ) : (
        <table className="devices-table">
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Status</th>
              <th scope="col">Since / last seen</th>
              <th scope="col">Acknowledged</th>
              <th scope="col">Behind</th>
              <th scope="col">Version</th>
            </tr>
          </thead>
          <tbody>
            {devices.map((device) => {
              const connected = clientsOf(device.id)
              return (
                <tr
                  key={device.id}
                  data-testid="device-row"
                  data-online={connected.length > 0 || elsewhere.has(device.id)}
                >
                  <th scope="row">
                    <div>
                      {device.name || device.id}
                      {device.id === thisDevice.id && <span className="muted"> (this device)</span>}
                    </div>
                    <div className="muted small">
                      {device.kind}
                      {device.platform && ` · ${device.platform}`}
                      {device.keyFingerprint && (
                        <span title={`Audit signing key ${device.keyFingerprint}`} data-testid="device-key">
                          {` · key ${device.keyFingerprint.slice(0, 'SHA256:'.length + 8)}…`}
                        </span>
                      )}
                    </div>
                  </th>
                  <td>
                    <span
                      className={`presence ${connected.length > 0 || elsewhere.has(device.id) ? 'online' : 'offline'}`}
                      data-testid="presence"
                    >
                      {connected.length > 0
                        ? `Online (${connected.length} ${connected.length === 1 ? 'client' : 'clients'})`
                        : elsewhere.has(device.id)
                          ? 'Online (another machine)'
                          : 'Offline'}
                    </span>
                    <RefusedPushes connected={connected} />
                  </td>
                  <td>{since(connected, device.disconnectedAt ?? device.connectedAt)}</td>
                  <td className="num">
                    {connected.length > 0
                      ? formatCount(Math.min(...connected.map((c) => c.acknowledgedHead)))
                      : '–'}
                  </td>
                  <td className="num">{connected.length > 0 ? lag(connected) : '–'}</td>
                  <td>{device.appVersion || '–'}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
      <RefusedConnections refused={refusedConnections} />
    </section>
  )
}

/** A client whose pushes the hub refuses retries them for ever: say so, and why, rather than look synced. */
function RefusedPushes({ connected }: { readonly connected: readonly ConnectedClientStatus[] }) {
  const refused = connected.filter((client) => client.refusedPushes > 0)
  if (refused.length === 0) return null
  const count = refused.reduce((sum, client) => sum + client.refusedPushes, 0)
  return (
    <div className="refusal small" data-testid="refused-pushes">
      {formatCount(count)} {count === 1 ? 'push' : 'pushes'} refused: {refused.at(-1)?.lastRefusal}
    </div>
  )
}

/** Clients turned away at the handshake: a stale credential or a program that is not one of ours. */
function RefusedConnections({ refused }: { readonly refused: readonly RefusedConnectionStatus[] }) {
  if (refused.length === 0) return null
  return (
    <section
      className="refused-connections"
      aria-label="Refused connections"
      data-testid="refused-connections"
    >
      <h3>Refused connections</h3>
      <ul>
        {refused.map((entry) => (
          <li key={entry.claimedDeviceId}>
            <code>{entry.claimedDeviceId}</code>: {formatCount(entry.count)}{' '}
            {entry.count === 1 ? 'attempt' : 'attempts'}, last {formatTime(entry.lastAt)} ({entry.lastReason})
          </li>
        ))}
      </ul>
    </section>
  )
}

function since(connected: readonly ConnectedClientStatus[], lastKnown: number | null): string {
  if (connected.length > 0) return `since ${formatTime(Math.min(...connected.map((c) => c.connectedAt)))}`
  return lastKnown === null ? 'never connected' : `last seen ${formatTime(lastKnown)}`
}

function lag(connected: readonly ConnectedClientStatus[]): string {
  const behind = Math.max(...connected.map((c) => c.lag))
  return behind === 0 ? 'up to date' : `${formatCount(behind)} events`
}
