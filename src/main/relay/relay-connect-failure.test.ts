/**
 * A relay whose loop fails after it has connected closes that connection: a socket left open would go on applying
 * pages and keep this machine "online" on the Worker beside the next connection. Bad input: the hub's eventlog
 * becomes unreadable (its table renamed by another connection, as a damaged database reads) the moment the relay
 * is connected, before it reads the head to pull from, then readable again. Against the real Worker in workerd,
 * which lists the machine as connected or not. (The failure of a pulled page was already handled: the connection
 * ends itself, upstream-connection.ts.)
 */
import { randomUUID } from 'node:crypto'
import BetterSqlite3 from 'better-sqlite3'
import { expect, it } from 'vitest'
import { loadOrCreateSigningKey } from '../audit/signing-key'
import { openHubEventlog } from '../hub/hub-eventlog'
import { until } from '../hub/test-support/until'
import { useScratch } from '../repository/test-support/scratch'
import { deriveSyncKeys } from '../sync/library-key'
import { fetchMachineList } from '../sync/machine-list'
import { machinePresence } from '../sync/machine-presence'
import { makeRelay } from './relay'
import { useRelayMachines } from './test-support/relay-machines'

const scratch = useScratch()
const storeId = 'library-relay-connect-failure'
// The Worker, with this library claimed by its key.
const { key, worker } = useRelayMachines(scratch, storeId)
const { workerToken } = deriveSyncKeys(key, storeId)

/** Whether the Worker counts `machineId` as connected now. */
const connectedOnWorker = async (machineId: string) => {
  const answer = await fetchMachineList(worker().url, storeId, workerToken)
  if (answer.kind !== 'listed') throw new Error(answer.message)
  return answer.report.machines.find((m) => m.machineId === machineId)?.connected ?? false
}

it('closes its connection when it fails after connecting, and connects once again on reconnect()', async () => {
  const repository = scratch.open()
  const device = { id: randomUUID(), name: 'Laptop' }
  const signingKey = loadOrCreateSigningKey(scratch.dir())
  const relayOf = async () =>
    makeRelay({
      url: worker().url,
      storeId,
      key,
      local: await openHubEventlog(repository.db),
      db: repository.db,
      signingKey,
      presence: machinePresence(device, '1.0.0', key, storeId),
      log: () => undefined,
    })
  // A first run learns the Worker's backend id: the next connection then reads its eventlog's head to pull from.
  const first = await relayOf()
  first.start()
  await until(
    () => first.status().connection,
    (connection) => connection.state === 'connected' && connection.caughtUp,
  )
  await first.close()

  const relay = await relayOf()
  // Another connection, synchronous: the table is gone before the relay's next read, whatever the timing.
  const other = new BetterSqlite3(repository.file)
  let broken = false
  relay.subscribe(({ connection }) => {
    if (broken || connection.state !== 'connected') return
    broken = true
    other.exec('ALTER TABLE hub_events RENAME TO hub_events_away')
  })
  try {
    relay.start()
    const refused = await until(
      () => relay.status().connection,
      (connection) => connection.state === 'refused',
    )
    expect(refused).toMatchObject({ reason: expect.stringMatching(/hub_events/) as unknown })
    expect(
      await until(
        () => connectedOnWorker(device.id),
        (connected) => !connected,
      ),
    ).toBe(false)

    other.exec('ALTER TABLE hub_events_away RENAME TO hub_events')
    relay.reconnect()
    await until(
      () => relay.status().connection,
      (connection) => connection.state === 'connected' && connection.caughtUp,
    )
    expect(await connectedOnWorker(device.id)).toBe(true)
  } finally {
    other.close()
    await relay.close()
  }
  expect(
    await until(
      () => connectedOnWorker(device.id),
      (connected) => !connected,
    ),
  ).toBe(false)
}, 60_000)
