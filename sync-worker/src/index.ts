/**
 * The Worker in front of LiveStore's sync Durable Object and the libraries' blob bucket. It serves these routes and
 * nothing else:
 *
 * - `POST /libraries/<storeId>/claim` with `Authorization: Bearer <token>`: the first token claims the library
 *   (and, when the worker has a `CLAIM_SECRET`, only with it in `x-chronicle-claim-secret`);
 * - `GET /sync?storeId=<storeId>&transport=ws` (a WebSocket upgrade, as `makeWsSync` opens it) with the claiming
 *   token in `Authorization`: checked here, before sync-cf sees the request, so an unauthorised client never
 *   reaches the library's eventlog;
 * - `GET /libraries/<storeId>/devices` with the claiming token: the library's machines (devices-route.ts);
 * - `PUT`, `GET`, `DELETE /libraries/<storeId>/blobs/<name>` and `POST /libraries/<storeId>/blobs/missing` with the
 *   claiming token: the library's encrypted message bodies and images in R2 (blob-routes.ts), with body limits of
 *   their own; no route lists them.
 *
 * A relay says which machine it is in headers of the sync upgrade (presence-headers.ts), refused here with 400 when
 * malformed. Everything else is 404, with no listing of libraries.
 */
import { handleSyncRequest, matchSyncRequest } from '@livestore/sync-cf/cf-worker'
import { BLOB_PATH, blobs } from './blob-routes'
import { readBearerToken, sameHash, tokenHash } from './bearer-token'
import { bodyWithinLimit } from './body-limit'
import { devices } from './devices-route'
import { badStoreId, checkAccess, claims, tokenRefusal, type Env } from './library-access'
import { CLAIM_SECRET_HEADER, MAX_BODY_BYTES } from './limits'
import { readPresenceHeaders } from './presence-headers'
import { errorResponse, jsonResponse } from './responses'

export { LibraryClaimDO } from './library-claim'
export { SyncBackendDO } from './sync-backend'

export type { Env } from './library-access'

const CLAIM_PATH = /^\/libraries\/([^/]*)\/claim$/
const DEVICES_PATH = /^\/libraries\/([^/]*)\/devices$/
const SYNC_PATH = '/sync'

export default {
  async fetch(request, env, ctx): Promise<Response> {
    const url = new URL(request.url)
    const blobMatch = BLOB_PATH.exec(url.pathname)
    if (blobMatch !== null) return blobs(request, env, blobMatch[1] ?? '', blobMatch[2] ?? '')
    const claimMatch = CLAIM_PATH.exec(url.pathname)
    const devicesMatch = DEVICES_PATH.exec(url.pathname)
    if (claimMatch === null && devicesMatch === null && url.pathname !== SYNC_PATH) {
      return errorResponse(
        404,
        'not_found',
        'Not found. This server answers POST /libraries/<storeId>/claim, GET /libraries/<storeId>/devices, ' +
          '/libraries/<storeId>/blobs/<name> and /sync.',
      )
    }
    if (!(await bodyWithinLimit(request))) {
      return errorResponse(413, 'body_too_large', `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`)
    }
    if (claimMatch !== null) return claim(request, env, claimMatch[1] ?? '')
    if (devicesMatch !== null) return devices(request, env, devicesMatch[1] ?? '')
    return sync(request, env, ctx, url)
  },
} satisfies ExportedHandler<Env>

async function claim(request: Request, env: Env, storeId: string): Promise<Response> {
  if (request.method !== 'POST') {
    return errorResponse(405, 'method_not_allowed', 'Claim a library with POST.', { allow: 'POST' })
  }
  const refusal = badStoreId(storeId)
  if (refusal !== undefined) return refusal
  const bearer = readBearerToken(request.headers)
  if (!bearer.ok) return tokenRefusal(bearer.reason)
  const hash = await tokenHash(bearer.token)
  const library = claims(env, storeId)
  // The claiming token may claim again (a retry after a lost answer) without the secret; a new library needs it.
  if (env.CLAIM_SECRET && (await library.check(hash)) === 'unclaimed') {
    const given = request.headers.get(CLAIM_SECRET_HEADER) ?? ''
    if (!sameHash(await tokenHash(given), await tokenHash(env.CLAIM_SECRET)))
      return errorResponse(
        403,
        'claim_secret_required',
        'This worker claims new libraries only with its claim secret (the one set with `npx wrangler secret put ' +
          'CLAIM_SECRET`): run `chronicle sync setup URL --claim-secret -` and paste it.',
      )
  }
  const outcome = await library.claim(hash)
  if (outcome === 'taken') {
    return errorResponse(
      409,
      'already_claimed',
      `Library "${storeId}" is already claimed with another token. Join it with its pairing code instead.`,
    )
  }
  return jsonResponse(outcome === 'claimed' ? 201 : 200, { storeId, claimed: outcome === 'claimed' })
}

async function sync(request: Request, env: Env, ctx: ExecutionContext, url: URL): Promise<Response> {
  const storeId = url.searchParams.get('storeId') ?? ''
  const refusal = badStoreId(storeId)
  if (refusal !== undefined) return refusal
  if (request.method !== 'GET' || request.headers.get('upgrade')?.toLowerCase() !== 'websocket') {
    return errorResponse(
      426,
      'upgrade_required',
      'Sync is a WebSocket: open /sync with an Upgrade: websocket request.',
      {
        upgrade: 'websocket',
      },
    )
  }
  const access = await checkAccess(request, env, storeId)
  if (!access.ok) return access.refusal
  const presence = readPresenceHeaders(request.headers)
  if (presence.kind === 'invalid') return errorResponse(400, 'bad_presence', presence.message)
  const searchParams = matchSyncRequest(request)
  if (searchParams === undefined || searchParams.transport !== 'ws') {
    return errorResponse(400, 'bad_sync_request', 'Sync needs ?storeId=<storeId>&transport=ws in the URL.')
  }
  const response = await handleSyncRequest<SyncEnv>({
    request,
    searchParams,
    env,
    ctx,
    syncBackendBinding: 'SYNC_BACKEND_DO',
  })
  // sync-cf types its Response with its own pinned @cloudflare/workers-types; at run time it is this Response.
  return response as unknown as Response
}

/**
 * sync-cf checks the binding's name against its env type with its own pinned workers-types; given this Worker's Env
 * (newer workers-types) that check overflows the compiler (TS2589). The binding is typed opaque: sync-cf only looks
 * it up by name.
 */
type SyncEnv = { readonly SYNC_BACKEND_DO: unknown }
