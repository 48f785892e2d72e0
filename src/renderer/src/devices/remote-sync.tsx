/**
 * The sync worker this machine relays to, as the relay sees it this second: where, whether it is connected (and
 * since when), offline (and when it tries again), or refused (and why: a refusal needs the user, an outage does
 * not), the worker's head against this machine's copy of it, and what waits to go up.
 */
import type { RemoteSyncStatus } from '../../../shared/api/contract'
import { formatCount, formatTime } from '../format'

export function RemoteSync({
  remote,
  waiting,
}: {
  readonly remote: RemoteSyncStatus
  readonly waiting: number
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
      </p>
      <p className="muted" data-testid="remote-heads">
        {`Worker head ${remote.remoteHead === null ? 'not known yet' : formatCount(remote.remoteHead)}` +
          ` · this machine holds ${formatCount(remote.localHead)}` +
          (waiting > 0
            ? ` · ${formatCount(waiting)} ${waiting === 1 ? 'change' : 'changes'} waiting to go up`
            : '')}
      </p>
    </section>
  )
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
