/**
 * Setting this data directory up as a library on a sync worker, or joining one with a pairing code: the work behind
 * `chronicle sync setup` and `join`, for any caller (the CLI prints around it; the app's settings can call it too).
 * The worker is asked first and the files are written only after it said yes, key before settings
 * (sync-settings.ts), so a wrong URL or key never leaves a half-joined data directory.
 *
 * The caller holds the data directory's lock (data-dir-lock.ts) and runs no sync runtime on the repository: both
 * steps rewrite what a running relay or bridge would work from (the eventlog, the remote), and the trail catch-up
 * runs the bridge itself on the understanding that no other process's bridge will.
 *
 * Refusals are MembershipRefusal; a damaged sync.json or key file comes out as SyncSettingsError or
 * LibraryKeyFileError, each one line a person can act on.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, rmSync } from 'node:fs'
import { loadOrCreateSigningKey } from '../audit/signing-key'
import { openHubEventlog } from '../hub/hub-eventlog'
import type { RelayConfig } from '../relay/relay'
import { sendHistoryUp } from '../relay/send-history'
import { usingRepository } from '../repository/repository'
import { catchUpTrail, mergeOwnLibrary, type MergeOutcome } from './join-merge'
import { deriveSyncKeys, LibraryKey } from './library-key'
import { libraryKeyPath, writeLibraryKey } from './library-key-file'
import {
  assertNoRemote,
  claimRefusal,
  hasLibrary,
  MembershipRefusal,
  workerUrlOf,
  type MembershipOptions,
} from './library-membership-guards'
import { makePairingCode, PairingCodeError, parsePairingCode } from './pairing-code'
import {
  readSyncSettings,
  removeSyncSettings,
  writeSyncSettings,
  type SyncRole,
  type SyncSettings,
} from './sync-settings'
import { claimLibrary } from './sync-settings-remote'

export { MembershipRefusal, type MembershipOptions, type MergeOutcome }

export interface SetUpOutcome {
  readonly settings: SyncSettings
  /** A secret: anyone who has it can read and write the whole library. */
  readonly pairingCode: string
  /** This library's own history, sent up before the code was made (0 for a folder without a library yet). */
  readonly eventsSent: number
}

export interface JoinOutcome {
  readonly settings: SyncSettings
  /** The worker did not know the library (its storage was reset, or it is another worker); the key claimed it. */
  readonly claimedNow: boolean
  /** This machine's own library, prepared to go into the joined one; null when it held none. */
  readonly merged: MergeOutcome | null
}

/** 128 random bits after a readable prefix: `chronicle-` and 22 base64url characters, 32 in all. */
const newStoreId = () => `chronicle-${randomBytes(16).toString('base64url')}`

const settingsFor = (url: string, storeId: string, role: SyncRole): SyncSettings => ({
  url,
  storeId,
  joinedAt: new Date().toISOString(),
  role,
})

/** Key, then settings; a failure writing the settings takes the new key away again. */
export function storeMembership(dataDir: string, key: LibraryKey, settings: SyncSettings): void {
  writeLibraryKey(dataDir, key)
  try {
    writeSyncSettings(dataDir, settings)
  } catch (error) {
    rmSync(libraryKeyPath(dataDir), { force: true })
    throw error
  }
}

/**
 * Claims a new library on the worker at `url` with a new key, sends this library's history up, then writes the key
 * and settings. `claimSecret` is for a worker deployed with CLAIM_SECRET.
 */
export async function setUpLibrary(
  options: MembershipOptions,
  url: string,
  claimSecret?: string,
): Promise<SetUpOutcome> {
  const workerUrl = workerUrlOf(url)
  const { dataDir } = options
  assertNoRemote(dataDir)
  const key = LibraryKey.generate()
  const claim = (storeId: string) =>
    claimLibrary(workerUrl, storeId, deriveSyncKeys(key, storeId).workerToken, claimSecret)
  // A 409 on a fresh random id means another library took it: one more id, then give up.
  let storeId = newStoreId()
  let answer = await claim(storeId)
  if (answer.kind === 'refused' && answer.status === 409) {
    storeId = newStoreId()
    answer = await claim(storeId)
  }
  const refused = claimRefusal(answer, workerUrl, storeId)
  if (refused) throw refused
  const eventsSent = await sendHistory(options, { url: workerUrl, storeId, key })
  const settings = settingsFor(workerUrl, storeId, 'set-up')
  storeMembership(dataDir, key, settings)
  return { settings, pairingCode: makePairingCode({ workerUrl, storeId, key }), eventsSent }
}

/**
 * Setup sends the library this machine already has up before it writes the settings and makes the code
 * (send-history.ts says why). A failure leaves the data directory as it was; the library claimed on the worker
 * stays unused.
 */
async function sendHistory(options: MembershipOptions, relay: RelayConfig): Promise<number> {
  if (!hasLibrary(options.dataDir)) return 0
  await catchUpTrail(options)
  const outcome = await usingRepository(options.openRepository, (repository) =>
    sendHistoryUp({
      db: repository.db,
      relay,
      signingKey: loadOrCreateSigningKey(options.dataDir),
      onProgress: (done, total) => options.onProgress?.({ step: 'sending-history', done, total }),
    }),
  )
  if (outcome.kind === 'failed')
    throw new MembershipRefusal(
      `sending this library's history up failed: ${outcome.reason}; nothing was written`,
    )
  return outcome.events
}

/**
 * Joins the library a pairing code names: the worker must accept the code's key, then this machine's own library
 * (if it holds one) is prepared to go into the joined one, then the key and settings are written.
 */
export async function joinLibrary(options: MembershipOptions, pairingCode: string): Promise<JoinOutcome> {
  let pairing
  try {
    pairing = parsePairingCode(pairingCode)
  } catch (error) {
    if (error instanceof PairingCodeError) throw new MembershipRefusal(error.message)
    throw error
  }
  const { dataDir } = options
  assertNoRemote(dataDir)
  const { workerUrl: url, storeId, key } = pairing
  const answer = await claimLibrary(url, storeId, deriveSyncKeys(key, storeId).workerToken)
  const refused = claimRefusal(answer, url, storeId)
  if (refused) throw refused
  // A library of its own goes into the joined one (merge-on-join.ts), before the settings say it syncs.
  const merged = (await eventsHeld(options)) > 0 ? await mergeOwnLibrary(options) : null
  const settings = settingsFor(url, storeId, 'joined')
  storeMembership(dataDir, key, settings)
  // 201: the key claimed a library the worker did not know.
  return { settings, claimedNow: answer.kind === 'claimed', merged }
}

export interface LeaveOutcome {
  readonly removedSettings: boolean
  readonly removedKey: boolean
  /** The library left, when the settings could still be read. */
  readonly left: { readonly storeId: string; readonly url: string } | null
}

/** Takes the remote away: settings and key go (a damaged settings file too); the local library stays as it is. */
export function leaveLibrary(dataDir: string): LeaveOutcome {
  let left: LeaveOutcome['left'] = null
  try {
    const settings = readSyncSettings(dataDir)
    left = settings && { storeId: settings.storeId, url: settings.url }
  } catch {
    left = null // read only to say which library is left; a damaged file is removed all the same
  }
  const removedSettings = removeSyncSettings(dataDir)
  const keyFile = libraryKeyPath(dataDir)
  const removedKey = existsSync(keyFile)
  rmSync(keyFile, { force: true })
  return { removedSettings, removedKey, left }
}

/** The events of this data directory's own trail (0 for a folder without a library yet). */
async function eventsHeld(options: MembershipOptions): Promise<number> {
  if (!hasLibrary(options.dataDir)) return 0
  return usingRepository(options.openRepository, async (repository) =>
    (await openHubEventlog(repository.db)).head(),
  )
}
