/**
 * A listener on 127.0.0.1 for the hub's WebSocket alone, for when no web host runs (the Electron app): local
 * device clients reach the hub here. The same Host and Origin checks, and the same guard against a throwing
 * upgrade, as the web host apply.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { WsSyncServer } from '../hub/ws-sync-server'
import type { Log } from '../logger'
import { allowedHosts } from '../web-host/request-guard'
import { guardedUpgrade, SYNC_PATH, syncUpgradeAllowed } from '../web-host/sync-upgrade'

export interface SyncEndpoint {
  readonly url: string
  close(): Promise<void>
}

/** `pageOrigins`: the origins of pages allowed to sync here besides this host's own (the desktop app's page). */
export async function startSyncEndpoint(
  wsServer: Pick<WsSyncServer, 'handleUpgrade'>,
  pageOrigins: readonly string[] = [],
  log: Log = () => undefined,
): Promise<SyncEndpoint> {
  let hosts = new Set<string>()
  const server = createServer((_request, response) => response.writeHead(426).end('WebSocket only'))
  server.on(
    'upgrade',
    guardedUpgrade('sync endpoint', log, (request, socket, head) => {
      if (syncUpgradeAllowed(request, socket, hosts, pageOrigins))
        wsServer.handleUpgrade(request, socket, head)
    }),
  )
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  hosts = allowedHosts(port)
  return {
    url: `ws://127.0.0.1:${port}${SYNC_PATH}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
