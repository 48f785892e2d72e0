/**
 * The checks every library route makes before it touches a library, shared so the sync socket and the devices
 * list refuse the same requests the same way: a storeId of the safe alphabet, a well-formed bearer token, and the
 * token that claimed the library (its SHA-256, kept by library-claim.ts).
 */
import { readBearerToken, tokenHash } from './bearer-token'
import type { LibraryClaimDO } from './library-claim'
import { STORE_ID_PATTERN, STORE_ID_RULE } from './limits'
import { errorResponse } from './responses'

export interface Env {
  readonly SYNC_BACKEND_DO: DurableObjectNamespace
  readonly LIBRARY_CLAIM_DO: DurableObjectNamespace<LibraryClaimDO>
  /** The R2 bucket of every library's blobs, each under `<storeId>/<name>` (blob-store.ts). */
  readonly BLOBS: R2Bucket
  /**
   * Set with `npx wrangler secret put CLAIM_SECRET` on a deployed worker: a new library is claimed only by who
   * knows it, so a stranger who finds the URL cannot store libraries on the owner's account. Unset (local
   * `wrangler dev`), anyone who reaches the worker may claim.
   */
  readonly CLAIM_SECRET?: string
}

export type Access =
  { readonly ok: true } | { readonly ok: false; readonly refusal: Response; readonly unclaimed?: true }

/** Whether the request's token is the one that claimed `storeId` (already checked well-formed by the caller). */
export async function checkAccess(request: Request, env: Env, storeId: string): Promise<Access> {
  const bearer = readBearerToken(request.headers)
  if (!bearer.ok) return { ok: false, refusal: tokenRefusal(bearer.reason) }
  const check = await claims(env, storeId).check(await tokenHash(bearer.token))
  if (check === 'unclaimed') {
    return {
      ok: false,
      unclaimed: true,
      refusal: errorResponse(
        401,
        'unclaimed_library',
        `Library "${storeId}" has not been claimed on this server. Claim it first: POST /libraries/${storeId}/claim.`,
      ),
    }
  }
  if (check === 'wrong') {
    return {
      ok: false,
      refusal: errorResponse(
        401,
        'wrong_token',
        `The token does not match the one that claimed library "${storeId}".`,
      ),
    }
  }
  return { ok: true }
}

/**
 * checkAccess for the HTTP routes (devices, blobs): a library nobody claimed is 404 there, as there is nothing in
 * it; the sync socket answers 401 so that a relay knows to claim.
 */
export async function checkKnownLibraryAccess(request: Request, env: Env, storeId: string): Promise<Access> {
  const access = await checkAccess(request, env, storeId)
  if (access.ok || access.unclaimed !== true) return access
  return {
    ok: false,
    refusal: errorResponse(404, 'unknown_library', `No library "${storeId}" on this server.`),
  }
}

export function claims(env: Env, storeId: string): DurableObjectStub<LibraryClaimDO> {
  return env.LIBRARY_CLAIM_DO.get(env.LIBRARY_CLAIM_DO.idFromName(storeId))
}

export function badStoreId(storeId: string): Response | undefined {
  if (STORE_ID_PATTERN.test(storeId)) return undefined
  return errorResponse(400, 'bad_store_id', `A library's storeId must be ${STORE_ID_RULE}.`)
}

export function tokenRefusal(reason: 'missing' | 'malformed'): Response {
  return reason === 'missing'
    ? errorResponse(
        401,
        'missing_token',
        'Send the library token in an "Authorization: Bearer <token>" header.',
      )
    : errorResponse(
        401,
        'malformed_token',
        'The Authorization header must be "Bearer <token>", the token 32 to 512 URL-safe or base64 characters.',
      )
}
