/**
 * The bridge among its real neighbours, for a test: a repository file, the hub, the main process's store and,
 * when asked, a device's store over WebSocket. Whatever a test opens is stopped after it, bridge first, then the hub.
 */
import { afterEach } from 'vitest'
import { startHubFixture, type HubFixture } from '../../hub/test-support/hub-fixture'
import type { useScratch } from '../../repository/test-support/scratch'
import { makeBridge, type Bridge } from '../bridge'
import { hubConfirmedEvents, type ConfirmedEvents } from '../confirmed-events'

export interface BridgeOptions {
  /** The device the bridge writes for. */
  readonly deviceId?: string
  /** Wraps the hub's confirmed events as the bridge reads them (a test that counts or holds its reads). */
  readonly confirmed?: (events: ConfirmedEvents) => ConfirmedEvents
}

export function useBridgedLibrary(scratch: ReturnType<typeof useScratch>) {
  let fixture: HubFixture | undefined
  let bridge: Bridge | undefined
  afterEach(async () => {
    await bridge?.stop()
    await fixture?.close()
    fixture = bridge = undefined
  })

  /** A fresh library with its bridge; a device connects when the test says (connectDevice). */
  async function openBridge(options: BridgeOptions = {}) {
    const dataDir = scratch.dir()
    const repo = scratch.open({ dataDir })
    const hub = await startHubFixture(repo)
    fixture = hub
    const main = await hub.inProcessStore(dataDir, 'main')
    const confirmed = hubConfirmedEvents(hub.hub)
    bridge = makeBridge({
      repository: repo,
      confirmed: options.confirmed ? options.confirmed(confirmed) : confirmed,
      store: main,
      deviceId: options.deviceId ?? 'desktop-1',
    })
    const connectDevice = () => hub.wsStore(dataDir, 'device-2', 'Laptop')
    return { dataDir, repo, main, bridge, hub: hub.hub, connectDevice }
  }

  /** A fresh library with its bridge and a device already connected. */
  async function openBridgedLibrary(options: BridgeOptions = {}) {
    const opened = await openBridge(options)
    return { ...opened, device: await opened.connectDevice() }
  }

  return { openBridge, openBridgedLibrary }
}
