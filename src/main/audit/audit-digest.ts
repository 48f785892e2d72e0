/**
 * The digest written beside an export: what the export holds (first and last sequence number, count, the chain
 * hash before the first record and after the last), the SHA-256 of the export file, the filters, and an Ed25519
 * signature by the device's key over the canonical JSON of everything else. The public key is inside, so the
 * digest verifies on any machine; its fingerprint says whose it is.
 */
import { canonicalJson } from '../../shared/canonical-json'
import { CHAIN_VERSION } from '../hub/event-hash'
import type { AuditFormat } from './audit-formats'
import { signText, signatureHolds, type SigningKey } from './signing-key'

export const DIGEST_FORMAT = 'chronicle-audit-digest'
export const DIGEST_VERSION = 1

export interface AuditDigest {
  readonly format: typeof DIGEST_FORMAT
  readonly version: number
  readonly export: {
    readonly file: string
    readonly format: AuditFormat
    readonly sha256: string
    readonly bytes: number
  }
  readonly records: {
    readonly count: number
    readonly firstSeq: number | null
    readonly lastSeq: number | null
  }
  readonly chain: {
    readonly version: string
    /** The chain hash of the entry before the first record, and of the last record. */
    readonly before: string | null
    readonly after: string | null
    /** The hub's head when the export was made. */
    readonly head: number
  }
  /**
   * The repository the trail was made from: every change at or before `changesCovered` in its change feed is in
   * the trail; `changesHead` is the feed's last position then (the same when nothing was waiting to be bridged).
   * Absent from digests made before Chronicle stated it.
   */
  readonly repository?: { readonly changesCovered: number; readonly changesHead: number }
  /** The filters as given (times in ISO 8601); empty for the whole eventlog. */
  readonly filters: Readonly<Record<string, string>>
  readonly includeContent: boolean
  readonly redaction: { readonly enabled: boolean; readonly masked: number }
  readonly createdAt: string
  readonly device: { readonly id: string; readonly name: string }
  readonly signature: { readonly algorithm: 'Ed25519'; readonly publicKey: string; readonly value: string }
}

export type UnsignedDigest = Omit<AuditDigest, 'format' | 'version' | 'signature'>

/** The text the signature covers: the whole digest but the signature's value. */
const signedText = (digest: Omit<AuditDigest, 'signature'>, publicKey: string): string =>
  canonicalJson({ ...digest, signature: { algorithm: 'Ed25519', publicKey } })

export function signDigest(unsigned: UnsignedDigest, key: SigningKey): AuditDigest {
  const body = { format: DIGEST_FORMAT, version: DIGEST_VERSION, ...unsigned } as const
  const value = signText(key, signedText(body, key.publicKey))
  return { ...body, signature: { algorithm: 'Ed25519', publicKey: key.publicKey, value } }
}

export const digestSignatureHolds = (digest: AuditDigest): boolean => {
  const { signature, ...body } = digest
  return signatureHolds(signature.publicKey, signedText(body, signature.publicKey), signature.value)
}

export class DigestError extends Error {}

/** Parses a digest file's text, or says what is wrong with it. */
export function parseDigest(text: string, path: string): AuditDigest {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new DigestError(`${path} is not JSON (${error instanceof Error ? error.message : String(error)})`)
  }
  const d = value as Partial<AuditDigest> | null
  if (d?.format !== DIGEST_FORMAT) throw new DigestError(`${path} is not a Chronicle audit digest`)
  if (d.version !== DIGEST_VERSION)
    throw new DigestError(
      `${path} is digest version ${String(d.version)}; this Chronicle reads version ${DIGEST_VERSION}`,
    )
  const complete =
    typeof d.export?.sha256 === 'string' &&
    typeof d.records?.count === 'number' &&
    typeof d.chain?.version === 'string' &&
    typeof d.signature?.publicKey === 'string' &&
    typeof d.signature.value === 'string' &&
    typeof d.filters === 'object'
  if (!complete) throw new DigestError(`${path} lacks fields a digest must have`)
  if (d.chain?.version !== CHAIN_VERSION)
    throw new DigestError(
      `${path} uses hash chain ${String(d.chain?.version)}; this Chronicle verifies ${CHAIN_VERSION}`,
    )
  return d as AuditDigest
}

/** Where the digest of an export is written, and looked for. */
export const digestPathFor = (exportPath: string): string => `${exportPath}.digest.json`
