/**
 * Which keys an export's signer may be: a digest carries its own public key, so a signature that holds proves
 * only that the digest was not changed since someone signed it. Trust comes from outside the digest: the keys the
 * library's devices recorded in their registration events (the trail itself says which key is whose), or a key
 * the user names (`--key`, `--fingerprint`) after comparing it with what `chronicle audit key` prints on the
 * device. Without either, nothing is trusted: verifying elsewhere means saying whose key you expect.
 */
import { createPublicKey } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { sql, type Kysely } from 'kysely'
import type { Database } from '../repository/database-schema'
import type { AuditDigest } from './audit-digest'
import { deviceNames } from './audit-query'
import { keyFingerprint } from './signing-key'

/** A key a device recorded in its registration, with the device's latest name. */
export interface RegisteredKey {
  readonly fingerprint: string
  readonly deviceId: string
  readonly deviceName: string
}

export type NamedBy = '--key' | '--fingerprint'

export interface Trust {
  /** The keys the library's registrations record, or null when there is no library to ask. */
  readonly registered: readonly RegisteredKey[] | null
  /** Keys the user named, as fingerprints. */
  readonly named: readonly { readonly fingerprint: string; readonly by: NamedBy }[]
}

export type Signer =
  | {
      readonly trusted: true
      readonly fingerprint: string
      readonly trustedBy: 'library' | NamedBy
      /** The registered device for a library key; the digest's own claim for a named key. */
      readonly device: { readonly id: string; readonly name: string }
    }
  | { readonly trusted: false; readonly fingerprint: string; readonly reason: string }

export class KeyInputError extends Error {}

/**
 * The keys registered in the hub's eventlog by the device's own main store: the hub authenticated the pusher as
 * the host or a relay (another machine's main store) of that very device. A page or a device program may
 * register its device too, but a key it names is not trusted: a script in a page could otherwise vouch for a
 * forger's key. The fingerprint is computed from the public key, never taken from the event, so a registration
 * cannot name one key and claim another's fingerprint. `known`: the device names, when the caller read them already.
 */
export async function registeredKeys(
  db: Kysely<Database>,
  known?: ReadonlyMap<string, string>,
): Promise<RegisteredKey[]> {
  const rows = await db
    .selectFrom('hub_events')
    .select([
      sql<unknown>`json_extract(args, '$.deviceId')`.as('deviceId'),
      sql<unknown>`json_extract(args, '$.signingKey.publicKey')`.as('publicKey'),
    ])
    .where('name', '=', 'v1.DeviceRegistered')
    .where('pushed_by_kind', 'in', ['host', 'relay'])
    .where(sql<boolean>`pushed_by_device = json_extract(args, '$.deviceId')`)
    .where(sql<boolean>`json_extract(args, '$.signingKey.publicKey') IS NOT NULL`)
    .orderBy('seq')
    .execute()
  const names = known ?? (await deviceNames(db))
  return rows.flatMap(({ deviceId, publicKey }) =>
    typeof deviceId === 'string' && typeof publicKey === 'string'
      ? [{ fingerprint: keyFingerprint(publicKey), deviceId, deviceName: names.get(deviceId) ?? '' }]
      : [],
  )
}

const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/

/** A fingerprint as `chronicle audit key` prints it; the `SHA256:` prefix may be left off. */
export function namedFingerprint(value: string): string {
  const trimmed = value.trim()
  const fingerprint = trimmed.startsWith('SHA256:') ? trimmed : `SHA256:${trimmed}`
  if (!FINGERPRINT.test(fingerprint))
    throw new KeyInputError(
      `--fingerprint must be a key fingerprint as chronicle audit key prints it, like SHA256:${'x'.repeat(43)}`,
    )
  return fingerprint
}

/** An Ed25519 public key's fingerprint from base64 SubjectPublicKeyInfo DER, or null. */
function ed25519Fingerprint(text: string): string | null {
  try {
    const key = createPublicKey(
      text.includes('-----BEGIN') ? text : { key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' },
    )
    if (key.asymmetricKeyType !== 'ed25519') return null
    return keyFingerprint(key.export({ type: 'spki', format: 'der' }).toString('base64'))
  } catch {
    return null
  }
}

/**
 * The fingerprint of the key `--key` names: a file holding what `chronicle audit key` prints (with or without
 * --json), or a PEM key, or the base64 public key itself.
 */
export function namedKey(value: string): string {
  let text = value
  try {
    if (statSync(value).isFile()) text = readFileSync(value, 'utf8')
  } catch {
    // Not a file: the value is the key itself.
  }
  const pem = text.includes('-----BEGIN') ? ed25519Fingerprint(text) : null
  if (pem) return pem
  for (const token of text.split(/[\s"{},:]+/)) {
    if (token.length < 40) continue
    const fingerprint = ed25519Fingerprint(token)
    if (fingerprint) return fingerprint
  }
  throw new KeyInputError(
    `--key ${value.length > 60 ? `${value.slice(0, 60)}…` : value} is neither a file holding an Ed25519 public key nor one in base64 (as chronicle audit key prints it)`,
  )
}

/** Whether the digest's signer is a key the trust names, and which device it is. */
export function judgeSigner(digest: AuditDigest, trust: Trust): Signer {
  const fingerprint = keyFingerprint(digest.signature.publicKey)
  const registrations = (trust.registered ?? []).filter((k) => k.fingerprint === fingerprint)
  const own = registrations.findLast((k) => k.deviceId === digest.device.id)
  if (own)
    return {
      trusted: true,
      fingerprint,
      trustedBy: 'library',
      device: { id: own.deviceId, name: own.deviceName },
    }
  const named = trust.named.find((k) => k.fingerprint === fingerprint)
  if (named) return { trusted: true, fingerprint, trustedBy: named.by, device: digest.device }
  const claim = `"${digest.device.name}" (${digest.device.id})`
  const trustIt = `if you know it is genuine (compare it with what chronicle audit key prints on that device), pass --fingerprint ${fingerprint}`
  const other = registrations.at(-1)
  let reason: string
  if (other)
    reason = `the export is signed by key ${fingerprint}, which belongs to device "${other.deviceName}" (${other.deviceId}), but the digest says it was made by ${claim}`
  else if (trust.named.length > 0)
    reason = `the export is signed by key ${fingerprint}, not by the key you named (${trust.named.map((k) => k.fingerprint).join(', ')})${trust.registered === null ? '' : ', and no device of this library registered it'}`
  else if (trust.registered === null)
    reason = `the signer cannot be trusted: there is no Chronicle library in the data directory (--data-dir) to say whose key ${fingerprint} is; ${trustIt}`
  else
    reason = `the export is signed by key ${fingerprint}, which no device of this library registered (the digest says it was made by ${claim}); ${trustIt}`
  return { trusted: false, fingerprint, reason }
}
