/**
 * Sync between machines from Settings, while the application runs: set up, join and leave are the command line's
 * work (sync/library-membership.ts), each run inside the application's resync, so that sync and the sources are
 * closed around it (nothing else writes the eventlog meanwhile) and open again as the new settings say. What can
 * be checked without the worker (the URL's form, the pairing code's, no remote yet) is checked before sync closes,
 * so a typo costs the running app nothing.
 */
import { existsSync } from 'node:fs'
import type { SyncMembership } from '../../shared/api/contract'
import type { MembershipServices } from '../api/membership-handlers'
import type { Log } from '../logger'
import { openRepository } from '../repository/repository'
import { libraryKeyPath, readLibraryKey } from '../sync/library-key-file'
import { joinLibrary, leaveLibrary, setUpLibrary } from '../sync/library-membership'
import { membershipProgress } from '../sync/library-membership-progress'
import { assertNoRemote, MembershipRefusal, workerUrlOf } from '../sync/library-membership-guards'
import { makePairingCode, parsePairingCode, PairingCodeError } from '../sync/pairing-code'
import { readSyncSettings } from '../sync/sync-settings'

export function membershipServices(options: {
  readonly dataDir: string
  readonly log: Log
  /** Closes sync and the sources, runs the change, opens them again (application.ts). */
  readonly resync: <T>(change: () => Promise<T>) => Promise<T>
}): MembershipServices {
  const { dataDir, log, resync } = options
  const progress = membershipProgress()
  const membership = {
    dataDir,
    log,
    openRepository: () => openRepository({ dataDir }),
    onProgress: progress.report,
  }
  const state = (): SyncMembership => {
    const settings = readSyncSettings(dataDir)
    return {
      remote: settings && {
        url: settings.url,
        storeId: settings.storeId,
        role: settings.role,
        joinedAt: settings.joinedAt,
      },
      strayKey: settings === null && existsSync(libraryKeyPath(dataDir)),
    }
  }
  return {
    state,
    async setUp(url, claimSecret) {
      workerUrlOf(url)
      assertNoRemote(dataDir)
      const outcome = await progress.during(() => resync(() => setUpLibrary(membership, url, claimSecret)))
      log(`sync: set up library ${outcome.settings.storeId} on ${outcome.settings.url} from Settings`)
      return { ...state(), pairingCode: outcome.pairingCode, eventsSent: outcome.eventsSent }
    },
    async join(code) {
      try {
        parsePairingCode(code)
      } catch (error) {
        if (error instanceof PairingCodeError) throw new MembershipRefusal(error.message)
        throw error
      }
      assertNoRemote(dataDir)
      const outcome = await progress.during(() => resync(() => joinLibrary(membership, code)))
      log(`sync: joined library ${outcome.settings.storeId} on ${outcome.settings.url} from Settings`)
      return { ...state(), claimedNow: outcome.claimedNow, merged: outcome.merged }
    },
    async leave() {
      const outcome = await resync(async () => leaveLibrary(dataDir))
      if (outcome.left) log(`sync: left library ${outcome.left.storeId} from Settings`)
      return state()
    },
    progress: () => progress.read(),
    pairingCode() {
      const settings = readSyncSettings(dataDir)
      const key = readLibraryKey(dataDir)
      if (settings === null || key === null)
        throw new MembershipRefusal('this machine syncs with no library, so there is no pairing code to show')
      return makePairingCode({ workerUrl: settings.url, storeId: settings.storeId, key })
    },
  }
}
