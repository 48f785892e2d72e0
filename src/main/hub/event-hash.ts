/**
 * The hub's hash chain: each eventlog entry's hash is SHA-256 over the previous entry's hash and the canonical
 * encoding of the event's hash form (its sequence numbers, name, args, client and session). Changing, dropping,
 * inserting or reordering any entry changes every hash after it.
 *
 * In the hash form, every content string (a title, a message preview or text) stands as its own SHA-256,
 * `{ sha256 }`. An audit export can then leave content out, or mask a secret in it, and still carry what
 * the chain needs: a record whose content was replaced by its digest verifies exactly like the full one.
 */
import { createHash, hash } from 'node:crypto'
import { canonicalJson } from '../../shared/canonical-json'

/** The hash "before" the first event. */
export const GENESIS_HASH = '0'.repeat(64)

/** Which hash form the stored hashes use (hub_meta 'chain'); older stores are re-hashed once on open. */
export const CHAIN_VERSION = 'v2'

/** Keys whose string values are content: in the hash form they are replaced by their digest. */
export const CONTENT_KEYS: ReadonlySet<string> = new Set(['title', 'preview', 'text'])

export interface HashedEvent {
  readonly seqNum: number
  readonly parentSeqNum: number
  readonly name: string
  readonly args: unknown
  readonly clientId: string
  readonly sessionId: string
}

/** One-shot hashing (no Hash object): the audit export hashes every message preview it leaves out. */
export const sha256Hex = (text: string): string => hash('sha256', text, 'hex')

/**
 * A content value as the chain sees it. An export writes it as a string (the content), `{ sha256 }` (left out)
 * or `{ redacted, sha256 }` (masked); all three stand for the same digest.
 */
function contentDigest(value: unknown): unknown {
  if (typeof value === 'string') return { sha256: sha256Hex(value) }
  if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { sha256?: unknown }).sha256 === 'string'
  )
    return { sha256: (value as { sha256: string }).sha256 }
  return value
}

/** The args with every content string replaced by its digest (idempotent: a hash form maps to itself). */
export function hashForm(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(hashForm)
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    const form = CONTENT_KEYS.has(key) ? contentDigest(inner) : hashForm(inner)
    // JSON.parse makes `__proto__` an own key; assigning it would set the copy's prototype instead, and the key
    // would drop out of the hash. (Object.fromEntries would do, at twice the cost on the hub's push path.)
    if (key === '__proto__')
      Object.defineProperty(out, key, { value: form, enumerable: true, writable: true, configurable: true })
    else out[key] = form
  }
  return out
}

export function chainHash(previous: string, event: HashedEvent): string {
  const { seqNum, parentSeqNum, name, args, clientId, sessionId } = event
  return createHash('sha256')
    .update(previous)
    .update('\n')
    .update(canonicalJson({ seqNum, parentSeqNum, name, args: hashForm(args ?? null), clientId, sessionId }))
    .digest('hex')
}
