/**
 * `GET /libraries/<storeId>/devices`: the library's machines as its sync Durable Object knows them (presence.ts),
 * for `chronicle sync status` and the Devices view. Authorised exactly as the sync socket is, with one difference:
 * a library nobody claimed is 404 (there is nothing to list), and no route lists libraries.
 */
import { badStoreId, checkKnownLibraryAccess, type Env } from './library-access'
import type { DevicesReport } from './presence'
import { errorResponse, jsonResponse } from './responses'

/** The sync object's RPC surface the Worker uses (sync-backend.ts); sync-cf's own types do not describe it. */
interface DevicesReporter extends Rpc.DurableObjectBranded {
  devices(storeId: string): DevicesReport
}

export async function devices(request: Request, env: Env, storeId: string): Promise<Response> {
  if (request.method !== 'GET') {
    return errorResponse(405, 'method_not_allowed', 'List devices with GET.', { allow: 'GET' })
  }
  const refusal = badStoreId(storeId)
  if (refusal !== undefined) return refusal
  const access = await checkKnownLibraryAccess(request, env, storeId)
  if (!access.ok) return access.refusal
  const namespace = env.SYNC_BACKEND_DO as unknown as DurableObjectNamespace<DevicesReporter>
  const report = await namespace.get(namespace.idFromName(storeId)).devices(storeId)
  return jsonResponse(200, report)
}
