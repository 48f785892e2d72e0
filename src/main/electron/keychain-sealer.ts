/**
 * The desktop app's keychain for the library key (sealed-library-key.ts): Electron's safeStorage, used only where
 * it is backed by a real keychain. Asked after the app is ready, since Linux picks its store then.
 */
import { safeStorage } from 'electron'
import { isRealKeychain, type KeySealer } from '../sync/sealed-library-key'

function keychainName(): string {
  if (process.platform === 'darwin') return 'macos-keychain'
  if (process.platform === 'win32') return 'windows-dpapi'
  return safeStorage.getSelectedStorageBackend()
}

/** The sealer, or null where keys stay in a plain 0600 file (no keychain, or only Electron's fixed password). */
export function keychainSealer(): KeySealer | null {
  if (!safeStorage.isEncryptionAvailable()) return null
  const keychain = keychainName()
  if (!isRealKeychain(keychain)) return null
  return {
    keychain,
    // safeStorage seals strings; base64 keeps the key's bytes intact through it.
    seal: (key) => safeStorage.encryptString(key.toString('base64')),
    open: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'base64'),
  }
}
