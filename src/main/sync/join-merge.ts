/**
 * Joining a library from a data directory that holds a library of its own: its audit trail is brought up to date
 * and exported, signed, into `exports/` in the data directory (the joined library's trail starts this machine's
 * part anew, so the old one must stay verifiable somewhere), then its repository is prepared to go into the joined
 * library (merge-on-join.ts). Called after the worker accepted the key and before the key and settings are written.
 */
import { join } from 'node:path'
import { exportAudit, exportFileName } from '../audit/export-audit'
import { loadOrCreateSigningKey } from '../audit/signing-key'
import { bringTrailUpToDate, TrailCatchUpError } from '../audit/trail-catch-up'
import { ensurePrivateDir } from '../private-files'
import { usingRepository } from '../repository/repository'
import { loadDeviceIdentity } from './device-identity'
import { MembershipRefusal, type MembershipOptions } from './library-membership-guards'
import { prepareMerge } from './merge-on-join'

export interface MergeOutcome {
  /** The old trail, exported and signed (its digest beside it, `<file>.digest.json`). */
  readonly trailExport: string
  readonly eventsExported: number
  /**
   * The key that signed it: once this machine's old trail is gone from the library, `audit verify` trusts that key
   * only when told (`--fingerprint`).
   */
  readonly signedBy: string
  readonly conversations: number
  readonly messages: number
}

/**
 * What `chronicle import` wrote with no app open is not in the trail yet: it is brought in first. The caller holds
 * the data directory, so this runs the bridge itself rather than wait for another process's.
 */
export async function catchUpTrail(options: MembershipOptions): Promise<void> {
  const { dataDir } = options
  try {
    await bringTrailUpToDate({
      dataDir,
      deviceId: loadDeviceIdentity(dataDir).id,
      holding: true,
      log: options.log,
      onProgress: ({ done, total }) => options.onProgress?.({ step: 'catching-up-trail', done, total }),
    })
  } catch (error) {
    if (error instanceof TrailCatchUpError)
      throw new MembershipRefusal(`${error.message}; nothing was written`)
    throw error
  }
}

export async function mergeOwnLibrary(options: MembershipOptions): Promise<MergeOutcome> {
  const { dataDir } = options
  await catchUpTrail(options)
  const exports = join(dataDir, 'exports')
  ensurePrivateDir(exports)
  const device = loadDeviceIdentity(dataDir)
  const exported = await usingRepository(options.openRepository, (repository) =>
    exportAudit(repository, {
      format: 'ndjson',
      filters: {},
      out: join(exports, exportFileName('ndjson', new Date(), 'before-joining')),
      includeContent: false,
      redact: false,
      dataDir,
      device,
      onProgress: ({ done, total }) => options.onProgress?.({ step: 'exporting-trail', done, total }),
    }),
  )
  options.onProgress?.({ step: 'preparing-merge' })
  const prepared = await usingRepository(options.openRepository, (repository) =>
    prepareMerge(repository.db, dataDir),
  )
  return {
    trailExport: exported.file,
    eventsExported: exported.digest.records.count,
    signedBy: loadOrCreateSigningKey(dataDir).fingerprint,
    conversations: prepared.conversations,
    messages: prepared.messages,
  }
}
