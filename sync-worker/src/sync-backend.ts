/**
 * LiveStore's own sync Durable Object, one per library: it orders pushes, stores the eventlog in the object's SQLite
 * storage and streams pulls. Only the WebSocket transport is enabled: it is the one Chronicle's clients use, and the
 * Worker authorises exactly that upgrade (the HTTP transport would be a second door to guard).
 *
 * Around sync-cf's handlers, presence.ts keeps the library's machines. sync-cf assigns `fetch`,
 * `webSocketMessage` and `webSocketClose` as instance properties in its constructor, so they are wrapped here,
 * after it, rather than overridden. `forwardHeaders` keeps the machine id in each socket's attachment, where it
 * survives hibernation.
 */
import { makeDurableObject } from '@livestore/sync-cf/cf-worker'
import { errorResponse } from './responses'
import { Presence, type DevicesReport } from './presence'
import { PRESENCE_HEADERS } from './presence-headers'
import { MAX_MACHINES_PER_LIBRARY } from './limits'

const SyncBackendBase = makeDurableObject({
  enabledTransports: new Set(['ws']),
  forwardHeaders: [PRESENCE_HEADERS.machineId],
})

type SocketHandler = (socket: WebSocket, ...rest: unknown[]) => Promise<void>

export class SyncBackendDO extends SyncBackendBase {
  readonly #presence: Presence

  constructor(ctx: DurableObjectState, env: unknown) {
    // sync-cf types its state with its own pinned workers-types; at run time it is this DurableObjectState.
    super(ctx as never, env as never)
    const presence = new Presence(ctx)
    this.#presence = presence
    const self = this as unknown as {
      fetch: (request: Request) => Promise<Response>
      webSocketMessage: SocketHandler
      webSocketClose: SocketHandler
      webSocketError?: SocketHandler
    }
    const syncFetch = self.fetch
    const syncMessage = self.webSocketMessage
    const syncClose = self.webSocketClose
    self.fetch = async (request) => {
      if (presence.admit(request) === 'full') {
        return errorResponse(
          409,
          'too_many_machines',
          `This library already has ${MAX_MACHINES_PER_LIBRARY} machines connected; disconnect one first.`,
        )
      }
      const response = await syncFetch(request)
      presence.watchSockets()
      return response
    }
    self.webSocketMessage = async (socket, message, ...rest) => {
      presence.received(socket, message as string | ArrayBuffer)
      return syncMessage(socket, message, ...rest)
    }
    self.webSocketClose = async (socket, ...rest) => {
      presence.closed(socket)
      return syncClose(socket, ...rest)
    }
    self.webSocketError = async (socket) => presence.closed(socket)
  }

  /** The Worker's `GET /libraries/<storeId>/devices`, after it checked the token. */
  devices(storeId: string): DevicesReport {
    return this.#presence.report(storeId)
  }
}
