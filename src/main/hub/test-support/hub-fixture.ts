/**
 * A real hub for tests: a repository file, the eventlog in it, the WebSocket server on 127.0.0.1, and helpers to
 * open LiveStore clients against it (in-process, like the main process, or over WebSocket, like a device).
 */
import { makeWsSync } from '@livestore/sync-cf/client'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { openChronicleStore, STORE_ID, type ChronicleStore } from '../../livestore/chronicle-store'
import type { Repository } from '../../repository/repository'
import { makeConnectedClients, type ConnectedClients } from '../connected-clients'
import { hostIdentity, makeHubCredentials, type HubCredentials } from '../hub-credentials'
import { makeHub, type Hub } from '../hub'
import { openHubEventlog } from '../hub-eventlog'
import { makeInProcessSync } from '../in-process-sync'
import { makeWsSyncServer, type WsSyncServer } from '../ws-sync-server'

/** The fixture hub's own device: its in-process stores are the host. */
export const HOST_DEVICE = 'main'

export interface HubFixture {
  readonly hub: Hub
  readonly clients: ConnectedClients
  readonly credentials: HubCredentials
  readonly server: WsSyncServer
  readonly url: string
  inProcessStore(dataDir: string, clientId: string): Promise<ChronicleStore>
  /** A device program's store over WebSocket (device id = client id), with the device credential by default. */
  wsStore(dataDir: string, clientId: string, deviceName?: string, token?: string): Promise<ChronicleStore>
  /** The network goes away: connections drop and new ones are refused until `reconnect`. */
  disconnect(): void
  reconnect(): void
  close(): Promise<void>
}

export async function startHubFixture(repository: Repository): Promise<HubFixture> {
  const hub = await makeHub(await openHubEventlog(repository.db), new Set([`${HOST_DEVICE}-main`]))
  const clients = makeConnectedClients()
  const credentials = makeHubCredentials(HOST_DEVICE)
  const server = makeWsSyncServer({ hub, storeId: STORE_ID, credentials, clients })
  const http: Server = createServer((_request, response) => response.writeHead(426).end())
  let offline = false
  http.on('upgrade', (request, socket, head) =>
    offline ? socket.destroy() : server.handleUpgrade(request, socket, head),
  )
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/sync`
  const stores: ChronicleStore[] = []
  const track = (store: ChronicleStore) => (stores.push(store), store)
  return {
    hub,
    clients,
    credentials,
    server,
    url,
    inProcessStore: async (dataDir, clientId) =>
      track(
        await openChronicleStore({
          dataDir,
          clientId,
          backend: makeInProcessSync(hub, hostIdentity(HOST_DEVICE)),
          folder: clientId,
        }),
      ),
    wsStore: async (dataDir, clientId, deviceName = clientId, token = credentials.deviceCredential) =>
      track(
        await openChronicleStore({
          dataDir,
          clientId,
          folder: clientId,
          backend: makeWsSync({ url }),
          syncPayload: { authToken: token, deviceId: clientId, deviceName, clientKind: 'simulator' },
        }),
      ),
    disconnect() {
      offline = true
      server.dropAll()
    },
    reconnect() {
      offline = false
    },
    async close() {
      for (const store of stores.splice(0).reverse()) await store.shutdown().catch(() => undefined)
      server.close()
      http.closeAllConnections()
      await new Promise<void>((resolve) => http.close(() => resolve()))
    },
  }
}
