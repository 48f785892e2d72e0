/**
 * What a careful forger does to an NDJSON export: edits a record, recomputes the summary, the targets and every
 * chain hash from there on, hashes the new file and signs a new digest with a fresh Ed25519 key of their own.
 * Everything inside the export then holds together; only the signer's key can give it away.
 */
import { createHash, generateKeyPairSync } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { auditSummary, auditTargets, type AuditRecord } from '../../../shared/audit/audit-record'
import { digestPathFor, signDigest, type AuditDigest } from '../audit-digest'
import { keyFingerprint, type SigningKey } from '../signing-key'
import { recordChainHash } from '../verify-export'

type Editable = { -readonly [K in keyof AuditRecord]: AuditRecord[K] } & { data: Record<string, unknown> }

export function freshSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const der = publicKey.export({ type: 'spki', format: 'der' }).toString('base64')
  return { privateKey, publicKey: der, fingerprint: keyFingerprint(der) }
}

/** Rewrites `file` (NDJSON) and its digest with `edit` applied to one record's data; returns the forger's key. */
export function forgeExport(
  file: string,
  seq: number,
  edit: (data: Record<string, unknown>) => void,
  key: SigningKey = freshSigningKey(),
): SigningKey {
  const records = readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Editable)
  let previous: string | null = null
  for (const record of records) {
    if (record.seq === seq) {
      edit(record.data)
      record.summary = auditSummary(record.action, record.data)
      record.targets = auditTargets(record.action, record.data)
    }
    if (previous !== null) record.prevHash = previous
    record.hash = recordChainHash(record)
    previous = record.hash
  }
  const text = `${records.map((r) => JSON.stringify(r)).join('\n')}\n`
  writeFileSync(file, text)
  const digestFile = digestPathFor(file)
  const {
    format: _format,
    version: _version,
    signature: _signature,
    ...unsigned
  } = JSON.parse(readFileSync(digestFile, 'utf8')) as AuditDigest
  const forged = signDigest(
    {
      ...unsigned,
      export: {
        ...unsigned.export,
        sha256: createHash('sha256').update(text).digest('hex'),
        bytes: Buffer.byteLength(text),
      },
      chain: { ...unsigned.chain, after: previous },
    },
    key,
  )
  writeFileSync(digestFile, JSON.stringify(forged))
  return key
}
