/**
 * The device's Ed25519 key that signs audit digests: made on first run, kept in the data directory (private key
 * as PKCS#8 PEM, readable only by the user). The public key travels in every digest, and its fingerprint lets an
 * auditor compare it with the one `chronicle audit key` prints on the device.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export const SIGNING_KEY_FILE = 'audit-signing-key.pem'

export interface SigningKey {
  readonly privateKey: KeyObject
  /** The public key as base64 SubjectPublicKeyInfo DER, the form digests carry. */
  readonly publicKey: string
  readonly fingerprint: string
}

/** SHA256:<base64> of the public key's DER, as ssh-keygen prints fingerprints. */
export const keyFingerprint = (publicKeyBase64: string): string =>
  `SHA256:${createHash('sha256').update(Buffer.from(publicKeyBase64, 'base64')).digest('base64').replace(/=+$/, '')}`

function fromPrivateKey(privateKey: KeyObject): SigningKey {
  const publicKey = createPublicKey(privateKey).export({ type: 'spki', format: 'der' }).toString('base64')
  return { privateKey, publicKey, fingerprint: keyFingerprint(publicKey) }
}

export function loadOrCreateSigningKey(dataDir: string): SigningKey {
  const file = join(dataDir, SIGNING_KEY_FILE)
  try {
    return fromPrivateKey(createPrivateKey(readFileSync(file, 'utf8')))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new Error(
        `${file} is not a usable signing key (${error instanceof Error ? error.message : String(error)}); ` +
          'move it away and a new key is made (earlier digests keep verifying with the key they carry)',
      )
  }
  const { privateKey } = generateKeyPairSync('ed25519')
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  // 'wx': two processes starting at once must not both make a key; the loser reads the winner's.
  try {
    writeFileSync(file, pem, { flag: 'wx', mode: 0o600 })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateSigningKey(dataDir)
    throw error
  }
  return fromPrivateKey(privateKey)
}

export const signText = (key: SigningKey, text: string): string =>
  sign(null, Buffer.from(text), key.privateKey).toString('base64')

/** False for a wrong signature, and for a public key or signature that is not even well-formed. */
export function signatureHolds(publicKeyBase64: string, text: string, signatureBase64: string): boolean {
  try {
    const publicKey = createPublicKey({
      key: Buffer.from(publicKeyBase64, 'base64'),
      format: 'der',
      type: 'spki',
    })
    return verify(null, Buffer.from(text), publicKey, Buffer.from(signatureBase64, 'base64'))
  } catch {
    return false
  }
}
