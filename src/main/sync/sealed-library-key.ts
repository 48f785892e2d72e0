/**
 * A library key sealed by the system's keychain, as the desktop app keeps it (electron/keychain-sealer.ts): the
 * same `library.key` file, holding one header line that names the format and the keychain, then the sealed bytes
 * in base64. A plain key is 32 raw bytes and never starts with the header, so the file tells which it holds.
 *
 * Only a real keychain seals (macOS Keychain, Windows DPAPI, libsecret or KWallet on Linux). Electron's fallback on
 * a Linux desktop without one ("basic_text") encrypts with a password written in Chromium's source, which protects
 * nothing a 0600 file does not, and would shut the command line out of the app's library for no gain.
 */

/** What seals and opens a key: the system keychain, in the desktop app only. */
export interface KeySealer {
  /** The keychain's name, kept in the file and shown in messages. */
  readonly keychain: string
  seal(key: Buffer): Buffer
  open(sealed: Buffer): Buffer
}

const HEADER = 'chronicle-sealed-library-key 1 '
/** Far more than any keychain's output for 32 bytes; a longer file is not a sealed key. */
export const SEALED_KEY_MAX_BYTES = 4096

/** Electron's names (safeStorage.getSelectedStorageBackend) of the Linux stores that only pretend to be keychains. */
const NOT_A_KEYCHAIN: ReadonlySet<string> = new Set(['basic_text', 'unknown'])

/** Whether a store is a keychain worth sealing with (the name as keychainSealer gives it). */
export const isRealKeychain = (keychain: string): boolean => keychain !== '' && !NOT_A_KEYCHAIN.has(keychain)

const isSealedKeyFile = (bytes: Buffer): boolean => bytes.subarray(0, HEADER.length).toString() === HEADER

export function sealedKeyFile(keychain: string, sealed: Buffer): Buffer {
  if (/\s/.test(keychain)) throw new Error(`a keychain name without spaces was expected, not "${keychain}"`)
  return Buffer.from(`${HEADER}${keychain}\n${sealed.toString('base64')}\n`)
}

/** The keychain's name and the sealed bytes, or null when the file is not in this format. */
export function readSealedKeyFile(
  bytes: Buffer,
): { readonly keychain: string; readonly sealed: Buffer } | null {
  if (!isSealedKeyFile(bytes)) return null
  const match = /^([^\s]+)\n([A-Za-z0-9+/]+=*)\n$/.exec(bytes.subarray(HEADER.length).toString())
  if (!match?.[1] || !match[2]) return null
  return { keychain: match[1], sealed: Buffer.from(match[2], 'base64') }
}
