/**
 * Every refusal is JSON with a stable `error` code and a sentence saying what to do, so a client can show it as is.
 * Messages are fixed strings or built from validated values only: a request's token never appears in a response.
 */
export type ErrorCode =
  | 'not_found'
  | 'method_not_allowed'
  | 'bad_store_id'
  | 'body_too_large'
  | 'missing_token'
  | 'malformed_token'
  | 'wrong_token'
  | 'unclaimed_library'
  | 'already_claimed'
  | 'claim_secret_required'
  | 'upgrade_required'
  | 'bad_sync_request'
  | 'bad_presence'
  | 'unknown_library'
  | 'too_many_machines'
  | 'bad_blob_name'
  | 'bad_blob_list'
  | 'unknown_blob'

export function errorResponse(
  status: number,
  error: ErrorCode,
  message: string,
  headers?: HeadersInit,
): Response {
  return jsonResponse(status, { error, message }, headers)
}

export function jsonResponse(status: number, body: unknown, headers?: HeadersInit): Response {
  const response = new Response(JSON.stringify(body), { status, headers })
  response.headers.set('content-type', 'application/json; charset=utf-8')
  response.headers.set('cache-control', 'no-store')
  return response
}
