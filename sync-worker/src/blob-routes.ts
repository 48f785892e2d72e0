/**
 * A library's blobs (message bodies and images, encrypted by the client, named by its keyed SHA-256 of the
 * plaintext): `PUT`, `GET` and `DELETE /libraries/<storeId>/blobs/<name>`, and `POST /libraries/<storeId>/blobs/missing`
 * with a JSON array of names, answered with those not stored, so a client uploads each body once, in batches.
 * Authorised as the devices route is (checkKnownLibraryAccess). There is no listing: `/blobs` and `/blobs/` are 404
 * as every unknown path is (index.ts), so only who knows a name can ask for its blob.
 *
 * The body limits are the blob routes' own (limits.ts), checked here instead of index.ts's MAX_BODY_BYTES. A body
 * the answer does not need (a refusal, a blob already stored) is read and dropped (body-limit.ts says why).
 */
import { blobKey, missingBlobs, putBlob } from './blob-store'
import { discardBody, readBodyWithin } from './body-limit'
import { badStoreId, checkKnownLibraryAccess, type Env } from './library-access'
import {
  BLOB_NAME_PATTERN,
  BLOB_NAME_RULE,
  MAX_BLOB_BYTES,
  MAX_BODY_BYTES,
  MAX_MISSING_BODY_BYTES,
  MAX_MISSING_NAMES,
} from './limits'
import { errorResponse, jsonResponse } from './responses'

export const BLOB_PATH = /^\/libraries\/([^/]*)\/blobs\/([^/]+)$/

const MISSING = 'missing'

export async function blobs(request: Request, env: Env, storeId: string, name: string): Promise<Response> {
  const limit =
    request.method === 'PUT' ? MAX_BLOB_BYTES : name === MISSING ? MAX_MISSING_BODY_BYTES : MAX_BODY_BYTES
  const response = await route(request, env, storeId, name, limit)
  await discardBody(request, limit)
  return response
}

async function route(
  request: Request,
  env: Env,
  storeId: string,
  name: string,
  limit: number,
): Promise<Response> {
  const method = name === MISSING ? ['POST'] : ['GET', 'PUT', 'DELETE']
  if (!method.includes(request.method)) {
    return errorResponse(405, 'method_not_allowed', `Use ${method.join(', ')} here.`, {
      allow: method.join(', '),
    })
  }
  const refusal = badStoreId(storeId) ?? (name === MISSING ? undefined : badName(name))
  if (refusal !== undefined) return refusal
  if (!(Number(request.headers.get('content-length') ?? 0) <= limit)) return tooLarge(limit)
  const access = await checkKnownLibraryAccess(request, env, storeId)
  if (!access.ok) return access.refusal
  if (name === MISSING) return missing(request, env, storeId)
  const key = blobKey(storeId, name)
  if (request.method === 'PUT') return put(request, env, key)
  if (request.method === 'DELETE') {
    await env.BLOBS.delete(key)
    return new Response(null, { status: 204 })
  }
  return get(env, key)
}

async function put(request: Request, env: Env, key: string): Promise<Response> {
  // A declared length lets R2 take the stream as it arrives; without one R2 needs the bytes in hand.
  let body: ReadableStream | Uint8Array | undefined = request.body ?? new Uint8Array(0)
  if (request.headers.get('content-length') === null) body = await readBodyWithin(request, MAX_BLOB_BYTES)
  if (body === undefined) return tooLarge(MAX_BLOB_BYTES)
  const outcome = await putBlob(env.BLOBS, key, body)
  return jsonResponse(outcome === 'stored' ? 201 : 200, { stored: outcome === 'stored' })
}

async function get(env: Env, key: string): Promise<Response> {
  const blob = await env.BLOBS.get(key)
  if (blob === null) return errorResponse(404, 'unknown_blob', 'No blob by that name in this library.')
  return new Response(blob.body, {
    headers: {
      'content-type': 'application/octet-stream',
      'content-length': String(blob.size),
      'cache-control': 'no-store',
    },
  })
}

async function missing(request: Request, env: Env, storeId: string): Promise<Response> {
  const body = await readBodyWithin(request, MAX_MISSING_BODY_BYTES)
  if (body === undefined) return tooLarge(MAX_MISSING_BODY_BYTES)
  const names = parseNames(body)
  if (names === undefined) {
    return errorResponse(
      400,
      'bad_blob_list',
      `Send a JSON array of at most ${MAX_MISSING_NAMES} blob names, each ${BLOB_NAME_RULE}.`,
    )
  }
  return jsonResponse(200, { missing: await missingBlobs(env.BLOBS, storeId, names) })
}

function parseNames(body: Uint8Array): string[] | undefined {
  let value: unknown
  try {
    value = JSON.parse(new TextDecoder().decode(body))
  } catch {
    return undefined
  }
  if (!Array.isArray(value) || value.length > MAX_MISSING_NAMES) return undefined
  if (!value.every((name): name is string => typeof name === 'string' && BLOB_NAME_PATTERN.test(name)))
    return undefined
  return [...new Set(value)]
}

function badName(name: string): Response | undefined {
  if (BLOB_NAME_PATTERN.test(name)) return undefined
  return errorResponse(400, 'bad_blob_name', `A blob's name must be ${BLOB_NAME_RULE}.`)
}

function tooLarge(limit: number): Response {
  return errorResponse(413, 'body_too_large', `This request's body is limited to ${limit} bytes.`)
}
