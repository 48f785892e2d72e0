/**
 * The trail of who synced when, at the moment it is easiest to lose: the app closing while a page and a device
 * program are still connected. Their sockets report the end only after the hub has gone, so the runtime records
 * their departure itself, and the hub's eventlog (the SQL trail) holds it once the runtime has closed.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { openHubEventlog } from '../hub/hub-eventlog'
import { connectRaw, type RawSyncClient } from '../hub/test-support/raw-sync-client'
import { until } from '../hub/test-support/until'
import { useScratch } from '../repository/test-support/scratch'
import { startSyncEndpoint, type SyncEndpoint } from './sync-endpoint'
import { startSyncRuntime } from './sync-runtime'

const scratch = useScratch()
const sockets: RawSyncClient[] = []
let endpoint: SyncEndpoint | undefined
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close()
  await endpoint?.close()
  endpoint = undefined
})

const presenceOf = (events: readonly { name: string; args: unknown }[]) =>
  events
    .filter((e) => e.name === 'v1.DeviceConnected' || e.name === 'v1.DeviceDisconnected')
    .map((e) => [e.name, (e.args as { connectedDeviceId: string }).connectedDeviceId])

describe('presence in the trail', () => {
  it('records every client still connected as gone when the runtime closes, in the hub’s eventlog', async () => {
    const dataDir = scratch.dir()
    const repository = scratch.open({ dataDir })
    const runtime = await startSyncRuntime({ dataDir, repository, log: () => undefined })
    endpoint = await startSyncEndpoint(runtime.wsServer)
    const hostId = runtime.device.id
    sockets.push(
      await connectRaw(endpoint.url, { authToken: runtime.credentials.pageCredential, deviceId: hostId }),
      await connectRaw(endpoint.url, {
        authToken: runtime.credentials.deviceCredential,
        deviceId: 'simulated-1',
        deviceName: 'Simulated device 1',
      }),
    )
    const connected = [
      ['v1.DeviceConnected', hostId],
      ['v1.DeviceConnected', 'simulated-1'],
    ]
    await until(
      async () => presenceOf(await runtime.hub.eventlog.read(0, 1_000)),
      (presence) => presence.length === 2,
      10_000,
    )

    await runtime.close()

    const trail = await (await openHubEventlog(repository.db)).read(0, 1_000)
    expect(presenceOf(trail)).toEqual([
      ...connected,
      ['v1.DeviceDisconnected', hostId],
      ['v1.DeviceDisconnected', 'simulated-1'],
    ])
  }, 30_000)
})
