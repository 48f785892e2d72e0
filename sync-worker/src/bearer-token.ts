/**
 * The library token comes only in `Authorization: Bearer <token>`, never in the URL: sync-cf carries its payload in
 * the query string, which proxies and Cloudflare's request logs keep. The Worker keeps only SHA-256 of the token,
 * so its storage cannot be replayed as a credential.
 */
import { TOKEN_MAX_LENGTH, TOKEN_MIN_LENGTH, TOKEN_PATTERN } from './limits'

export type BearerToken =
  | { readonly ok: true; readonly token: string }
  | { readonly ok: false; readonly reason: 'missing' | 'malformed' }

export function readBearerToken(headers: Headers): BearerToken {
  const header = headers.get('authorization')
  if (header === null || header.trim() === '') return { ok: false, reason: 'missing' }
  const match = /^Bearer +(\S+)$/i.exec(header.trim())
  const token = match?.[1]
  if (token === undefined) return { ok: false, reason: 'malformed' }
  const wellFormed =
    token.length >= TOKEN_MIN_LENGTH && token.length <= TOKEN_MAX_LENGTH && TOKEN_PATTERN.test(token)
  return wellFormed ? { ok: true, token } : { ok: false, reason: 'malformed' }
}

export async function tokenHash(token: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))
}

/** Both sides are SHA-256 digests (32 bytes), so the comparison's time depends on neither token. */
export function sameHash(a: ArrayBuffer, b: ArrayBuffer): boolean {
  return a.byteLength === b.byteLength && crypto.subtle.timingSafeEqual(a, b)
}
