/**
 * The bridge among its real neighbours, for a test: a repository file, the hub, the main process's store and a
 * device's store over WebSocket. Whatever a test opens is stopped after it, bridge first, then the hub.
 */
import { afterEach } from 'vitest'
import { startHubFixture, type HubFixture } from '../../hub/test-support/hub-fixture'
import type { useScratch } from '../../repository/test-support/scratch'
import { makeBridge, type Bridge } from '../bridge'
import { hubConfirmedEvents } from '../confirmed-events'

export function useBridgedLibrary(scratch: ReturnType<typeof useScratch>) {
  let fixture: HubFixture | undefined
  let bridge: Bridge | undefined
  afterEach(async () => {
    await bridge?.stop()
    await fixture?.close()
    fixture = bridge = undefined
  })
  /** A fresh library; `deviceId` is the device the bridge writes for. */
  return async function openBridgedLibrary(deviceId = 'desktop-1') {
    const dataDir = scratch.dir()
    const repo = scratch.open({ dataDir })
    fixture = await startHubFixture(repo)
    const main = await fixture.inProcessStore(dataDir, 'main')
    bridge = makeBridge({
      repository: repo,
      confirmed: hubConfirmedEvents(fixture.hub),
      store: main,
      deviceId,
    })
    const device = await fixture.wsStore(dataDir, 'device-2', 'Laptop')
    return { dataDir, repo, main, device, bridge, hub: fixture.hub }
  }
}
