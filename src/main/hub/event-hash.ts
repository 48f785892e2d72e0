/**
 * The hub's hash chain: each eventlog entry's hash is SHA-256 over the previous entry's hash and the canonical
 * encoding of the event (its sequence numbers, name, args, client and session). Changing, dropping, inserting or
 * reordering any entry changes every hash after it. The audit export carries these hashes (issue: audit).
 */
import { createHash } from 'node:crypto'
import { canonicalJson } from '../../shared/canonical-json'

/** The hash "before" the first event. */
export const GENESIS_HASH = '0'.repeat(64)

export interface HashedEvent {
  readonly seqNum: number
  readonly parentSeqNum: number
  readonly name: string
  readonly args: unknown
  readonly clientId: string
  readonly sessionId: string
}

export function chainHash(previous: string, event: HashedEvent): string {
  const { seqNum, parentSeqNum, name, args, clientId, sessionId } = event
  return createHash('sha256')
    .update(previous)
    .update('\n')
    .update(canonicalJson({ seqNum, parentSeqNum, name, args, clientId, sessionId }))
    .digest('hex')
}
