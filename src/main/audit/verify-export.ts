/**
 * Verifies an export against its digest: the digest's signature, the file's SHA-256, and every record. Each
 * record must match its own chain hash (its contents were not edited) and what its data implies (summary,
 * targets, time, device, actor, origin); consecutive records must link (a record's previous hash is the hash of
 * the one before); sequence numbers must rise without gaps (unless the export was filtered) and start and end
 * where the digest says. The first record that breaks a rule is named, with what happened to it: edited,
 * dropped, inserted or reordered. Memory stays small: one record of lookahead and a bitset of the sequence
 * numbers seen.
 *
 * A digest's signature holding proves only that nobody changed it since it was signed, by whatever key it
 * carries: the export verifies only when that key is one the caller trusts (trusted-keys.ts).
 */
import { createHash } from 'node:crypto'
import { constants } from 'node:fs'
import { access, readFile, stat } from 'node:fs/promises'
import { auditSummary, auditTargets, type AuditRecord } from '../../shared/audit/audit-record'
import { chainHash } from '../hub/event-hash'
import { digestPathFor, digestSignatureHolds, parseDigest, type AuditDigest } from './audit-digest'
import { readAuditFile, type ReadItem } from './audit-file-reader'
import { eventTime } from './audit-records'
import { keyFingerprint } from './signing-key'
import { judgeSigner, type Signer, type Trust } from './trusted-keys'

export type ProblemKind = 'edited' | 'dropped' | 'inserted' | 'reordered' | 'malformed'

export interface VerifyProblem {
  readonly kind: ProblemKind
  /** The record's position in the file (1 = the first record), when the problem has one. */
  readonly record: number | null
  readonly seq: number | null
  readonly message: string
}

export interface VerifyReport {
  readonly ok: boolean
  readonly file: string
  readonly digestFile: string
  readonly records: number
  readonly firstSeq: number | null
  readonly lastSeq: number | null
  readonly problem: VerifyProblem | null
  readonly fileHashMatches: boolean
  readonly signatureHolds: boolean
  readonly keyFingerprint: string
  /** Whether the key that signed is one the trust names, and whose. */
  readonly signer: Signer
  readonly digest: AuditDigest
}

/** The chain hash a record's own contents and its previous hash give. */
export const recordChainHash = (record: AuditRecord): string =>
  chainHash(record.prevHash, {
    seqNum: record.seq,
    parentSeqNum: record.seq - 1,
    name: record.action,
    args: record.data,
    clientId: record.clientId,
    sessionId: record.sessionId,
  })

/** Which rule a single record breaks by itself, if any. */
function recordProblem(record: AuditRecord): string | null {
  const data = (record.data ?? {}) as Record<string, unknown>
  if (recordChainHash(record) !== record.hash) return 'its contents do not match its chain hash'
  if (record.summary !== auditSummary(record.action, record.data))
    return 'its summary does not match its data'
  if (record.targets.join(' ') !== auditTargets(record.action, record.data).join(' '))
    return 'its targets do not match its data'
  if (record.time !== eventTime(data.at)) return 'its time does not match its data'
  if (
    record.deviceId !== (data.deviceId ?? '') ||
    record.actor !== (data.actor ?? '') ||
    record.origin !== (data.origin ?? '')
  )
    return 'its device, actor or origin does not match its data'
  return null
}

/** A bitset of sequence numbers, grown as needed. */
function seqSet() {
  let bits = new Uint8Array(1 << 16)
  return {
    add(seq: number) {
      if (seq >> 3 >= bits.length) {
        const grown = new Uint8Array(Math.max(bits.length * 2, (seq >> 3) + 1))
        grown.set(bits)
        bits = grown
      }
      bits[seq >> 3] = (bits[seq >> 3] ?? 0) | (1 << (seq & 7))
    },
    has: (seq: number) => seq >> 3 < bits.length && ((bits[seq >> 3] ?? 0) & (1 << (seq & 7))) !== 0,
  }
}

export class VerifyInputError extends Error {}

export async function verifyExport(
  file: string,
  trust: Trust,
  digestFile = digestPathFor(file),
): Promise<VerifyReport> {
  let digestText: string
  try {
    digestText = await readFile(digestFile, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new VerifyInputError(
      code === 'ENOENT'
        ? `no digest at ${digestFile}; pass the digest that came with the export with --digest FILE`
        : `cannot read the digest ${digestFile} (${String(error)})`,
    )
  }
  const digest = parseDigest(digestText, digestFile)
  const unfiltered = Object.keys(digest.filters).length === 0
  const hash = createHash('sha256')
  try {
    await access(file, constants.R_OK)
    if (!(await stat(file)).isFile()) throw new Error('it is not a file')
  } catch (error) {
    throw new VerifyInputError(
      `cannot read ${file} (${error instanceof Error ? error.message : String(error)})`,
    )
  }
  const items = readAuditFile(file, digest.export.format, hash)

  const seen = seqSet()
  let problem: VerifyProblem | null = null
  let count = 0
  let previous: AuditRecord | null = null
  let firstSeq: number | null = null
  let pending: ReadItem | null = null
  const fail = (kind: ProblemKind, record: number | null, seq: number | null, message: string) => {
    problem ??= { kind, record, seq, message }
  }

  /** Checks record number `n` against the one before it and, for a gap, the one after it. */
  const check = (n: number, record: AuditRecord, next: ReadItem | null) => {
    const own = recordProblem(record)
    if (own) return fail('edited', n, record.seq, `record ${n} (seq ${record.seq}) was edited: ${own}`)
    const p = previous
    if (!p) {
      if (record.seq > (digest.records.firstSeq ?? record.seq))
        return fail(
          'dropped',
          n,
          record.seq,
          `records before record 1 were dropped: it has seq ${record.seq}, the digest says the export starts at seq ${digest.records.firstSeq}`,
        )
      if (record.seq !== digest.records.firstSeq || record.prevHash !== digest.chain.before)
        return fail(
          'inserted',
          n,
          record.seq,
          `record 1 (seq ${record.seq}) was inserted: the digest says the export starts at seq ${digest.records.firstSeq}`,
        )
      return
    }
    if (record.seq <= p.seq) {
      if (seen.has(record.seq))
        return fail(
          'inserted',
          n,
          record.seq,
          `record ${n} (seq ${record.seq}) was inserted: seq ${record.seq} already appeared earlier in the file`,
        )
      return fail(
        'reordered',
        n,
        record.seq,
        `records ${n - 1} and ${n} are out of order: seq ${p.seq} comes before seq ${record.seq}`,
      )
    }
    if (record.seq === p.seq + 1 && record.prevHash !== p.hash)
      return fail(
        'edited',
        n,
        record.seq,
        `record ${n} (seq ${record.seq}) does not continue the chain from record ${n - 1}: it was replaced, or its hash recomputed`,
      )
    if (unfiltered && record.seq > p.seq + 1) {
      const nextSeq = next?.kind === 'record' ? next.record.seq : null
      if (nextSeq !== null && nextSeq > p.seq && nextSeq < record.seq)
        return fail(
          'reordered',
          n,
          record.seq,
          `records ${n} and ${n + 1} are out of order: seq ${record.seq} comes before seq ${nextSeq}`,
        )
      const missing =
        record.seq - p.seq - 1 === 1 ? `seq ${p.seq + 1}` : `seq ${p.seq + 1} to ${record.seq - 1}`
      return fail(
        'dropped',
        n,
        record.seq,
        `${missing} ${missing.includes('to') ? 'were' : 'was'} dropped between records ${n - 1} and ${n}`,
      )
    }
  }

  const settle = (item: ReadItem, next: ReadItem | null) => {
    count += 1
    if (item.kind === 'malformed') return fail('malformed', count, null, `record ${count} ${item.reason}`)
    const { record } = item
    firstSeq ??= record.seq
    if (!problem) check(count, record, next)
    seen.add(record.seq)
    previous = record
  }
  for await (const item of items) {
    if (pending) settle(pending, item)
    pending = item
  }
  if (pending) settle(pending, null)

  const last = previous as AuditRecord | null
  if (!problem) {
    const lastSeq = digest.records.lastSeq
    if (last && lastSeq !== null && last.seq < lastSeq)
      fail(
        'dropped',
        count,
        last.seq,
        `records after record ${count} (seq ${last.seq}) were dropped: the digest says the export ends at seq ${lastSeq}`,
      )
    else if (count !== digest.records.count)
      fail(
        count < digest.records.count ? 'dropped' : 'inserted',
        null,
        null,
        `the file holds ${count} records, the digest says ${digest.records.count}`,
      )
    else if ((last?.hash ?? null) !== digest.chain.after)
      fail(
        'edited',
        count,
        last?.seq ?? null,
        `the last record's chain hash is not the one the digest ends with`,
      )
  }
  const fileHashMatches = hash.digest('hex') === digest.export.sha256
  if (!problem && !fileHashMatches)
    fail(
      'edited',
      null,
      null,
      `the file differs from the one the digest describes, outside what the chain covers (device names, acceptance times or layout)`,
    )
  const signatureHolds = digestSignatureHolds(digest)
  const signer = judgeSigner(digest, trust)
  return {
    ok: problem === null && fileHashMatches && signatureHolds && signer.trusted,
    file,
    digestFile,
    records: count,
    firstSeq,
    lastSeq: last?.seq ?? null,
    problem,
    fileHashMatches,
    signatureHolds,
    keyFingerprint: keyFingerprint(digest.signature.publicKey),
    signer,
    digest,
  }
}
