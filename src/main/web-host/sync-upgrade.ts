/**
 * WebSocket upgrades to the hub, for the web host and the desktop app's sync endpoint alike: which ones pass the
 * Host and Origin checks, and a guard so that nothing an upgrade request carries can throw out of the server's
 * `upgrade` listener (an uncaught throw there ends the process).
 */
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import type { Log } from '../logger'
import { hostAllowed, originAllowed, requestPath } from './request-guard'

/** Where LiveStore clients reach the hub: ws://127.0.0.1:PORT/sync. */
export const SYNC_PATH = '/sync'

const STATUS_LINES = { 400: 'Bad Request', 403: 'Forbidden' } as const

export const refuseUpgrade = (socket: Duplex, status: keyof typeof STATUS_LINES = 403): void =>
  void socket.end(
    `HTTP/1.1 ${status} ${STATUS_LINES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
  )

/**
 * A WebSocket upgrade to SYNC_PATH that passes the Host and Origin checks; a target that is not a URL is refused
 * with 400, anything else with 403. The token is the hub's to check (ws-sync-server.ts).
 */
export function syncUpgradeAllowed(
  request: IncomingMessage,
  socket: Duplex,
  hosts: Set<string>,
  pageOrigins: readonly string[] = [],
): boolean {
  const path = requestPath(request)
  if (path === null) {
    refuseUpgrade(socket, 400)
    return false
  }
  if (path === SYNC_PATH && hostAllowed(request, hosts) && originAllowed(request, hosts, pageOrigins))
    return true
  refuseUpgrade(socket)
  return false
}

/** The first line of what was thrown, short: a log line, never a stack an attacker can fill the log with. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  return (text.split('\n', 1)[0] ?? '').slice(0, 300)
}

type UpgradeListener = (request: IncomingMessage, socket: Duplex, head: Buffer) => void

/** An `upgrade` listener that drops the connection and logs one line when the handler throws. */
export function guardedUpgrade(where: string, log: Log, handle: UpgradeListener): UpgradeListener {
  return (request, socket, head) => {
    // A client that resets mid-handshake emits an error on the socket; unheard, it would end the process.
    socket.on('error', () => socket.destroy())
    try {
      handle(request, socket, head)
    } catch (error) {
      log(`${where}: upgrade ${JSON.stringify((request.url ?? '').slice(0, 200))} failed: ${oneLine(error)}`)
      socket.destroy()
    }
  }
}
