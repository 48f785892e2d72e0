/**
 * Where this machine keeps its remote: `sync.json` in the data directory names the worker's URL and the library's
 * store id, when this machine set it up or joined, and which of the two it did. The key itself stays in
 * `library.key` (library-key-file.ts), which is why this file holds nothing secret and is still 0600: it says
 * where the library lives.
 *
 * The file's presence is what "this data directory has a remote" means: setup and join write it last, after the
 * key, so an interrupted setup leaves at most a stray key and never a remote without one.
 *
 * Reading validates every field, because a hand-edited or damaged file must not reach the relay as a URL or store
 * id; what is wrong comes back as one line that names the file and what to do.
 */
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomicSync } from '../atomic-write'
import { ensurePrivateDir } from '../private-files'
import type { LibraryKey } from './library-key'
import { libraryKeyPath, LibraryKeyFileError, readLibraryKey } from './library-key-file'
import { checkWorkerUrl, PairingCodeError } from './pairing-code'
import { isStoreId } from './sync-crypto-encoding'

export const SYNC_SETTINGS_FILE = 'sync.json'
const FORMAT_VERSION = 1

/** `set-up`: this machine made the library's key and claimed it on the worker; `joined`: it came by a pairing code. */
export type SyncRole = 'set-up' | 'joined'

export interface SyncSettings {
  /** The worker's URL, in checkWorkerUrl's normal form. */
  readonly url: string
  readonly storeId: string
  /** ISO 8601, when this machine set the remote up or joined it. */
  readonly joinedAt: string
  readonly role: SyncRole
}

export class SyncSettingsError extends Error {
  override readonly name = 'SyncSettingsError'
}

export const syncSettingsPath = (dataDir: string): string => join(dataDir, SYNC_SETTINGS_FILE)

/** This data directory's remote, or null when it has none. Throws SyncSettingsError for a file it cannot trust. */
export function readSyncSettings(dataDir: string): SyncSettings | null {
  const file = syncSettingsPath(dataDir)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return null
    throw new SyncSettingsError(
      `${file} cannot be read (${code ?? String(error)}); check that it belongs to you.`,
    )
  }
  const problem = (what: string) =>
    new SyncSettingsError(
      `${file} is damaged (${what}). Run \`chronicle sync leave\` to remove it (your local library is kept), ` +
        'then set up or join again with a pairing code.',
    )
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw problem('not JSON')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw problem('not a JSON object')
  const fields = value as Record<string, unknown>
  if (fields.version !== FORMAT_VERSION)
    throw problem(`format version ${JSON.stringify(fields.version)}, expected ${FORMAT_VERSION}`)
  const { url, storeId, joinedAt, role } = fields
  if (typeof url !== 'string') throw problem('no worker URL')
  try {
    if (checkWorkerUrl(url) !== url) throw problem('the worker URL is not in its normal form')
  } catch (error) {
    if (error instanceof PairingCodeError) throw problem(`bad worker URL: ${error.message}`)
    throw error
  }
  if (!isStoreId(storeId)) throw problem('the store id is not 1 to 64 of A-Z, a-z, 0-9, - and _')
  if (typeof joinedAt !== 'string' || Number.isNaN(Date.parse(joinedAt)))
    throw problem('joinedAt is not a time')
  if (role !== 'set-up' && role !== 'joined') throw problem('role is neither "set-up" nor "joined"')
  return { url, storeId, joinedAt, role }
}

/** Writes the remote whole or not at all, 0600, in a private data directory. */
export function writeSyncSettings(dataDir: string, settings: SyncSettings): void {
  ensurePrivateDir(dataDir)
  const document = { version: FORMAT_VERSION, ...settings }
  writeFileAtomicSync(syncSettingsPath(dataDir), `${JSON.stringify(document, null, 2)}\n`)
}

/** Removes the remote whether or not the file can be read; says whether there was one. */
export function removeSyncSettings(dataDir: string): boolean {
  const file = syncSettingsPath(dataDir)
  try {
    rmSync(file)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw error
  }
}

/** What a relay needs to reach this data directory's remote. */
export interface SyncRemote {
  readonly url: string
  readonly storeId: string
  readonly key: LibraryKey
}

/**
 * The remote with its key, or null when this data directory has none. Throws SyncSettingsError (or the key file's
 * LibraryKeyFileError) when sync.json cannot be trusted or names a library whose key is missing.
 */
export function readSyncRemote(dataDir: string): SyncRemote | null {
  const settings = readSyncSettings(dataDir)
  if (settings === null) return null
  const key = readLibraryKey(dataDir)
  if (key === null)
    throw new SyncSettingsError(
      `${syncSettingsPath(dataDir)} names library ${settings.storeId}, but ${libraryKeyPath(dataDir)} is missing. ` +
        'Run `chronicle sync leave`, then join again with a pairing code.',
    )
  return { url: settings.url, storeId: settings.storeId, key }
}

/**
 * The one reader of the remote for what runs a relay: the remote (null when there is none), or why sync.json or the
 * key cannot be trusted, in a line that names the file and what to do. The caller decides what a problem means.
 */
export type SyncRemoteReading = { readonly remote: SyncRemote | null } | { readonly problem: string }

export function readSyncRemoteOrProblem(dataDir: string): SyncRemoteReading {
  try {
    return { remote: readSyncRemote(dataDir) }
  } catch (error) {
    if (error instanceof SyncSettingsError || error instanceof LibraryKeyFileError)
      return { problem: error.message }
    throw error
  }
}

/**
 * The remote `chronicle sync setup` or `join` gave this data directory, read under its lock. A sync.json or key that
 * cannot be trusted starts the library without relaying, the reason in the log (`chronicle sync status` prints it
 * too): the local library stays usable.
 */
export function syncRemoteOrNone(dataDir: string, log: (line: string) => void): SyncRemote | null {
  const reading = readSyncRemoteOrProblem(dataDir)
  if ('remote' in reading) return reading.remote
  log(`sync: not relaying to a remote: ${reading.problem}`)
  return null
}
