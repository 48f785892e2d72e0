/**
 * The main side of the API contract: validates what arrives, calls the repository, and always answers with a
 * Result, so no exception (and no stack trace) crosses the process boundary.
 */
import {
  apiArgs,
  isApiMethod,
  type ApiArgs,
  type ApiMethod,
  type ApiResults,
  type ConnectedClientStatus,
} from '../../shared/api/contract'
import { fail, ok, type Result } from '../../shared/result'
import type { Repository } from '../repository/repository'

type Handlers = { [M in ApiMethod]: (args: ApiArgs<M>) => Promise<Result<ApiResults[M]>> }

/** What the API needs of the sync runtime (absent where none runs, as in the CLI's own tests). */
export interface SyncStatusSource {
  readonly device: { readonly id: string; readonly name: string }
  readonly hub: { readonly eventlog: { head(): Promise<number> } }
  readonly clients: { list(): readonly Omit<ConnectedClientStatus, 'lag'>[] }
}

export function makeHandlers(repository: Repository, sync?: SyncStatusSource): Handlers {
  return {
    stats: async () => ok(await repository.stats()),
    search: (args) => repository.search(args.query, args),
    listConversations: (args) => repository.listConversations(args),
    async syncStatus() {
      if (!sync) return fail('SYNC_UNAVAILABLE', 'No sync hub runs in this process.')
      const hubHead = await sync.hub.eventlog.head()
      const clients = sync.clients.list().map((c) => ({
        deviceId: c.deviceId,
        deviceName: c.deviceName,
        kind: c.kind,
        clientId: c.clientId,
        connectedAt: c.connectedAt,
        lastSeenAt: c.lastSeenAt,
        acknowledgedHead: c.acknowledgedHead,
        lag: Math.max(0, hubHead - c.acknowledgedHead),
      }))
      return ok({ device: { id: sync.device.id, name: sync.device.name }, hubHead, clients })
    },
  }
}

export type ApiDispatcher = (method: unknown, args: unknown) => Promise<Result<unknown>>

export function makeDispatcher(
  repository: Repository,
  log: (message: string) => void,
  sync?: SyncStatusSource,
): ApiDispatcher {
  const handlers = makeHandlers(repository, sync)
  return async (method, args) => {
    if (!isApiMethod(method))
      return fail('UNKNOWN_METHOD', `${String(method).slice(0, 100)} is not part of the API.`)
    const checked = apiArgs[method](args ?? {}, 'args')
    if (!checked.ok) return fail('INVALID_ARGUMENTS', `${method}: ${checked.message}`)
    try {
      // The validator for `method` produced exactly ApiArgs<typeof method>; TypeScript cannot follow the correlation.
      const handler = handlers[method] as (args: unknown) => Promise<Result<unknown>>
      return await handler(checked.value)
    } catch (error) {
      log(`api ${method} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
      return fail(
        'INTERNAL',
        `${method} failed on the main side; the log in the data directory has the details.`,
      )
    }
  }
}
