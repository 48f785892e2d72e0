/**
 * What setting up or joining a library (library-membership.ts) needs from its caller, and the checks it makes before
 * it writes anything: the worker's URL is one, the data directory has no remote yet, and the worker accepted the
 * library's key. Each failure is a MembershipRefusal, one line a person can act on.
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { MembershipStep } from '../../shared/api/contract'
import type { Log } from '../logger'
import { DATABASE_FILE, type Repository } from '../repository/repository'
import { libraryKeyPath } from './library-key-file'
import { checkWorkerUrl, PairingCodeError } from './pairing-code'
import { readSyncSettings } from './sync-settings'
import type { WorkerAnswer } from './sync-settings-remote'

/** A refusal a person can act on, in one line; nothing was written when it is thrown. */
export class MembershipRefusal extends Error {
  override readonly name = 'MembershipRefusal'
}

export interface MembershipOptions {
  readonly dataDir: string
  /** Opens the repository when a step needs it; each step closes what it opened. */
  readonly openRepository: () => Repository
  readonly log: Log
  /** Where a long step stands (describeMembershipStep words it). */
  readonly onProgress?: (step: MembershipStep) => void
}

/** The worker's URL in its normal form, or why it is not one. */
export function workerUrlOf(text: string): string {
  try {
    return checkWorkerUrl(text)
  } catch (error) {
    if (error instanceof PairingCodeError) throw new MembershipRefusal(error.message)
    throw error
  }
}

/** The worker's answer to a claim, as a refusal naming the URL; null when it accepted. */
export function claimRefusal(answer: WorkerAnswer, url: string, storeId: string): MembershipRefusal | null {
  switch (answer.kind) {
    case 'claimed':
    case 'accepted':
      return null
    case 'unreachable':
      return new MembershipRefusal(`${answer.message}; nothing was written`)
    case 'failed':
      return new MembershipRefusal(`${answer.message}; nothing was written`)
    case 'refused':
      return answer.status === 409
        ? new MembershipRefusal(
            `the worker at ${url} refused this pairing code's key for library ${storeId}: the library is claimed ` +
              'with another key, so this code is not the one its setup gave (a code from another or an older ' +
              'setup). Use that code; nothing was written',
          )
        : new MembershipRefusal(
            `the worker at ${url} refused (HTTP ${answer.status} ${answer.error}: ${answer.message}); nothing was written`,
          )
  }
}

/** Setup and join start only in a data directory without a remote or a key of its own. */
export function assertNoRemote(dataDir: string): void {
  const settings = readSyncSettings(dataDir)
  if (settings !== null)
    throw new MembershipRefusal(
      `this data directory already syncs library ${settings.storeId} through ${settings.url}; leave it first ` +
        '(Leave in Settings, or `chronicle sync leave`) to set up or join another',
    )
  if (existsSync(libraryKeyPath(dataDir)))
    throw new MembershipRefusal(
      `${libraryKeyPath(dataDir)} already holds a library key (left by an interrupted setup or join); ` +
        'remove it first (Leave in Settings, or `chronicle sync leave`)',
    )
}

/** A folder without a database holds no library yet: nothing to send up or merge. */
export const hasLibrary = (dataDir: string): boolean => existsSync(resolve(dataDir, DATABASE_FILE))
