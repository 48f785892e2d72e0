/**
 * The API of Settings → "Sync between machines": the library this machine syncs, setting one up, joining one with
 * a pairing code, leaving, and showing the pairing code again. The work is the application's (app/sync-membership.ts);
 * here its refusals become answers the page shows as they are: each is one line a person can act on.
 */
import type { ApiArgs, ApiResults } from '../../shared/api/contract'
import { fail, ok, type Result } from '../../shared/result'
import { LibraryKeyFileError } from '../sync/library-key-file'
import { MembershipRefusal } from '../sync/library-membership-guards'
import { SyncSettingsError } from '../sync/sync-settings'

/** What the running application offers (absent where no application runs, as in a CLI process). */
export interface MembershipServices {
  state(): ApiResults['syncMembership']
  setUp(url: string, claimSecret?: string): Promise<ApiResults['syncSetUp']>
  join(pairingCode: string): Promise<ApiResults['syncJoin']>
  leave(): Promise<ApiResults['syncLeave']>
  pairingCode(): string
  /** The long step a setup or join is in (sync/library-membership-progress.ts); absent: none is reported. */
  progress?(): ApiResults['syncMembershipProgress']
}

type MembershipMethod =
  'syncMembership' | 'syncSetUp' | 'syncMembershipProgress' | 'syncJoin' | 'syncLeave' | 'syncPairingCode'
type MembershipHandlers = {
  [M in MembershipMethod]: (args: ApiArgs<M>) => Promise<Result<ApiResults[M]>>
}

/** A refusal, a damaged settings or key file: said to the user; anything else is the dispatcher's to log. */
async function answer<T>(work: () => T | Promise<T>): Promise<Result<T>> {
  try {
    return ok(await work())
  } catch (error) {
    if (
      error instanceof MembershipRefusal ||
      error instanceof SyncSettingsError ||
      error instanceof LibraryKeyFileError
    )
      return fail('SYNC_REFUSED', error.message)
    throw error
  }
}

export function membershipHandlers(services: MembershipServices | undefined): MembershipHandlers {
  const unavailable = fail('SYNC_UNAVAILABLE', 'Sync between machines is changed in the app, not here.')
  return {
    syncMembership: async () => (services ? ok(services.state()) : unavailable),
    syncSetUp: async ({ url, claimSecret }) =>
      services ? answer(() => services.setUp(url, claimSecret || undefined)) : unavailable,
    syncMembershipProgress: async () => (services ? ok(services.progress?.() ?? null) : unavailable),
    syncJoin: async ({ pairingCode }) => (services ? answer(() => services.join(pairingCode)) : unavailable),
    syncLeave: async () => (services ? answer(() => services.leave()) : unavailable),
    syncPairingCode: async () =>
      services ? answer(() => ({ pairingCode: services.pairingCode() })) : unavailable,
  }
}
