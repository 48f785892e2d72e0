/**
 * The sync worker this machine relays to, as the relay sees it this second: where, whether it is connected (and
 * since when), offline (and when it tries again), or refused (and why: a refusal needs the user, an outage does
 * not), the worker's head against this machine's copy of it, what waits to go up, and the message bodies still
 * on their way. A refusal offers to try again at once, for when the user has mended its cause (the relay does not
 * retry a refusal by itself: the same request would be refused again).
 */
import type { RemoteMachine, RemoteMachines, RemoteSyncStatus } from '../../../shared/api/contract'
import { formatCount, formatTime } from '../format'
import { bodiesToMove } from './remote-bodies'

export function RemoteSync({
  remote,
  waiting,
  onRetry,
}: {
  readonly remote: RemoteSyncStatus
  readonly waiting: number
  readonly onRetry: () => void
}) {
  const { connection } = remote
  return (
    <section className="remote-sync" aria-label="Sync between machines" data-testid="remote-sync">
      <h3>Sync between machines</h3>
      <p>
        Library <code>{remote.storeId}</code> through <code>{remote.url}</code>
      </p>
      <p data-testid="remote-connection" data-state={connection.state}>
        <span className={connection.state === 'refused' ? 'refusal' : undefined}>{describe(connection)}</span>
        {connection.state === 'refused' && (
          <>
            {' '}
            <button type="button" onClick={onRetry}>
              Try again
            </button>
          </>
        )}
      </p>
      <p className="muted" data-testid="remote-heads">
        {`Worker head ${remote.remoteHead === null ? 'not known yet' : formatCount(remote.remoteHead)}` +
          ` · this machine holds ${formatCount(remote.localHead)}` +
          (waiting > 0
            ? ` · ${formatCount(waiting)} ${waiting === 1 ? 'change' : 'changes'} waiting to go up`
            : '')}
      </p>
      <BodiesOnTheirWay bodies={remote.bodies} />
      <RefusedEvents refused={remote.refused} />
      <Machines machines={remote.machines} />
    </section>
  )
}

/** Bodies still to move, and why moving them stopped when it did; nothing once they are all where they belong. */
function BodiesOnTheirWay({ bodies }: { readonly bodies: RemoteSyncStatus['bodies'] }) {
  const toMove = bodiesToMove(bodies, formatCount)
  if (toMove === null && bodies.problem === null) return null
  return (
    <p className="muted" data-testid="remote-bodies">
      {toMove}
      {toMove !== null && bodies.problem !== null && ' · '}
      {bodies.problem !== null && (
        <span className="bodies-problem">Stopped: {bodies.problem.replace(/\.+$/, '')}.</span>
      )}
    </p>
  )
}

/** Events from the worker that no machine applied: another machine's bug or an attack, so they are shown. */
function RefusedEvents({ refused }: { readonly refused: RemoteSyncStatus['refused'] }) {
  if (refused.count === 0) return null
  const { count, last } = refused
  return (
    <p data-testid="remote-refused">
      <span className="refusal">
        {`${formatCount(count)} ${count === 1 ? 'event' : 'events'} from the worker refused`}
      </span>
      {last && ` · the latest: ${last.reason.replace(/\.+$/, '')}`}
      {'. Each is kept in the audit trail and applied on no machine.'}
    </p>
  )
}

/** Every machine of the library the worker knows: online or last seen, how far behind, which version. */
function Machines({ machines }: { readonly machines: RemoteMachines | null }) {
  if (machines === null) return <p className="muted">Asking the worker for the library's machines…</p>
  if ('problem' in machines)
    return (
      <p className="muted" data-testid="remote-machines-problem">
        The worker did not list the library's machines: {machines.problem}
      </p>
    )
  return (
    <table className="devices-table" data-testid="remote-machines">
      <thead>
        <tr>
          <th scope="col">Machine</th>
          <th scope="col">Status</th>
          <th scope="col">Behind</th>
          <th scope="col">Version</th>
        </tr>
      </thead>
      <tbody>
        {machines.list.map((machine) => (
          <tr key={machine.machineId} data-testid="remote-machine" data-online={machine.online}>
            <th scope="row">
              {machine.name ?? machine.machineId}
              {machine.thisMachine && <span className="muted"> (this machine)</span>}
            </th>
            <td>
              <span className={`presence ${machine.online ? 'online' : 'offline'}`}>{presence(machine)}</span>
            </td>
            <td className="num">{behind(machine)}</td>
            <td>{machine.version}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

const presence = (machine: RemoteMachine) =>
  machine.online
    ? `Online since ${formatTime(Date.parse(machine.since))}`
    : `Last seen ${formatTime(Date.parse(machine.lastSeen))}`

function behind(machine: RemoteMachine): string {
  if (machine.behind === null) return 'not pulled yet'
  return machine.behind === 0 ? 'up to date' : `${formatCount(machine.behind)} events`
}

function describe(connection: RemoteSyncStatus['connection']): string {
  switch (connection.state) {
    case 'connecting':
      return 'Connecting…'
    case 'connected':
      return `Connected since ${formatTime(connection.since)}${connection.caughtUp ? '' : ', catching up'}`
    case 'unreachable':
      return `Offline: ${connection.reason}. Trying again ${
        connection.retryAt > Date.now() ? `at ${formatTime(connection.retryAt)}` : 'now'
      }; changes are kept here meanwhile.`
    case 'refused':
      return `Refused by the worker: ${connection.reason}. Nothing goes up or comes down until this is mended (\`chronicle sync status\` says more).`
    case 'stopped':
      return 'Stopped.'
  }
}
