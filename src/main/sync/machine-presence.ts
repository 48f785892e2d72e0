/**
 * What a relay tells the sync worker about its machine when it opens the sync socket, in headers beside the token
 * (sync-worker/src/presence-headers.ts reads and validates them): the device id, the app version, and the
 * machine's display name sealed under a key derived from the library key, so the worker stores a name it cannot
 * read and every machine of the library can show it.
 *
 * The sealed name is AES-256-GCM, `nonce || ciphertext || tag` in base64url, its associated data the store id and
 * the machine id: a worker cannot show one machine's name against another.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import type { LibraryKey } from './library-key'
import { fromBase64url, toBase64url } from './sync-crypto-encoding'

export interface MachinePresence {
  readonly machineId: string
  readonly version: string
  readonly sealedName?: string
}

/** The Worker's rules (sync-worker/src/limits.ts); a machine that breaks them is refused the sync socket. */
export const MACHINE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/
export const VERSION_PATTERN = /^[0-9A-Za-z][0-9A-Za-z.+-]{0,31}$/
const MAX_NAME_CHARS = 100
const NONCE_BYTES = 12
const TAG_BYTES = 16

export function presenceHeaders(presence: MachinePresence | undefined): Record<string, string> {
  if (presence === undefined) return {}
  return {
    'x-chronicle-machine-id': presence.machineId,
    'x-chronicle-version': presence.version,
    ...(presence.sealedName === undefined ? {} : { 'x-chronicle-sealed-name': presence.sealedName }),
  }
}

/**
 * This machine as the worker should list it; a version outside the worker's alphabet is sent as `unknown`. A
 * device id the worker would refuse (device.json edited by hand) gives no presence at all: the machine syncs
 * unlisted rather than not at all.
 */
export function machinePresence(
  device: { readonly id: string; readonly name: string },
  version: string,
  key: LibraryKey,
  storeId: string,
): MachinePresence | undefined {
  if (!MACHINE_ID_PATTERN.test(device.id)) return undefined
  return {
    machineId: device.id,
    version: VERSION_PATTERN.test(version) ? version : 'unknown',
    sealedName: sealMachineName(key, storeId, device.id, device.name),
  }
}

const associatedData = (storeId: string, machineId: string): Buffer =>
  Buffer.from(JSON.stringify(['chronicle-machine-name', 1, storeId, machineId]), 'utf8')

export function sealMachineName(key: LibraryKey, storeId: string, machineId: string, name: string): string {
  const nonce = randomBytes(NONCE_BYTES)
  const cipher = createCipheriv('aes-256-gcm', key.derive('machineName', storeId), nonce, {
    authTagLength: TAG_BYTES,
  })
  cipher.setAAD(associatedData(storeId, machineId))
  const plaintext = Buffer.from([...name].slice(0, MAX_NAME_CHARS).join(''), 'utf8')
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return toBase64url(Buffer.concat([nonce, ct, cipher.getAuthTag()]))
}

/** The name a machine sealed, or null when it is not authentic for this key, library and machine. */
export function openMachineName(
  key: LibraryKey,
  storeId: string,
  machineId: string,
  sealed: string,
): string | null {
  const bytes = fromBase64url(sealed)
  if (bytes === null || bytes.length < NONCE_BYTES + TAG_BYTES) return null
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      key.derive('machineName', storeId),
      bytes.subarray(0, NONCE_BYTES),
      { authTagLength: TAG_BYTES },
    )
    decipher.setAAD(associatedData(storeId, machineId))
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES))
    const plaintext = Buffer.concat([
      decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ])
    return new TextDecoder('utf-8', { fatal: true }).decode(plaintext)
  } catch {
    return null
  }
}
