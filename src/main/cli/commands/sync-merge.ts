/**
 * `chronicle sync join` on a data directory that holds a library of its own: its audit trail is brought up to date
 * and exported, signed, into `exports/` in the data directory (the joined library's trail starts this machine's
 * part anew, so the old one must stay verifiable somewhere), then its repository is prepared to go into the joined
 * library (merge-on-join.ts). Called after the worker accepted the key and before the key and settings are written.
 */
import { join } from 'node:path'
import { exportAudit, exportFileName } from '../../audit/export-audit'
import { loadOrCreateSigningKey } from '../../audit/signing-key'
import { bringTrailUpToDate, TrailCatchUpError } from '../../audit/trail-catch-up'
import { fileLogger } from '../../logger'
import { ensurePrivateDir } from '../../private-files'
import { loadDeviceIdentity } from '../../sync/device-identity'
import { prepareMerge } from '../../sync/merge-on-join'
import { withRepository, type CommandContext } from '../command-context'
import { commandProgress, type ProgressLine } from '../progress-line'
import { formatInt } from '../terminal'
import { SyncRefusal } from './sync-guards'

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

/** What `chronicle import` wrote with no app open is not in the trail yet: it is brought in first. */
export async function catchUpTrail(context: CommandContext, progress: ProgressLine): Promise<void> {
  const { dataDir } = context.options
  try {
    await bringTrailUpToDate({
      dataDir,
      deviceId: loadDeviceIdentity(dataDir).id,
      holding: true,
      log: fileLogger(dataDir),
      onProgress: ({ done, total }) =>
        progress.update(
          `Bringing the audit trail up to date: ${formatInt(done)} of ${formatInt(total)} changes`,
        ),
    })
  } catch (error) {
    if (error instanceof TrailCatchUpError) throw new SyncRefusal(`${error.message}; nothing was written`)
    throw error
  }
}

export async function mergeOwnLibrary(context: CommandContext): Promise<MergeOutcome> {
  const { dataDir } = context.options
  const progress = commandProgress(context)
  await catchUpTrail(context, progress)
  const exports = join(dataDir, 'exports')
  ensurePrivateDir(exports)
  const device = loadDeviceIdentity(dataDir)
  const exported = await withRepository(context, (repository) =>
    exportAudit(repository, {
      format: 'ndjson',
      filters: {},
      out: join(exports, exportFileName('ndjson', new Date(), 'before-joining')),
      includeContent: false,
      redact: false,
      dataDir,
      device,
      onProgress: ({ done, total }) =>
        progress.update(
          `Exporting this library's audit trail: ${formatInt(done)} of ${formatInt(total)} events`,
        ),
    }),
  )
  progress.update('Preparing this library to go into the one it joins')
  const prepared = await withRepository(context, (repository) => prepareMerge(repository.db, dataDir))
  progress.done()
  return {
    trailExport: exported.file,
    eventsExported: exported.digest.records.count,
    signedBy: loadOrCreateSigningKey(dataDir).fingerprint,
    conversations: prepared.conversations,
    messages: prepared.messages,
  }
}
