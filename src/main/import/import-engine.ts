/**
 * Imports units from adapters into the repository, incrementally and idempotently:
 * - a unit whose files have the same sizes and mtimes as last time is not read (a no-op re-import is stat calls);
 * - a changed unit is read whole and upserted, and upserts write only rows whose values changed, so only what
 *   changed reaches the change feed; messages past a conversation's new end (a rewritten or truncated source)
 *   are removed;
 * - a unit's bookkeeping commits in the same transaction as its rows, so a crash never records a unit as imported
 *   without its rows, or the other way round;
 * - bad input in one unit is reported with its path and reason and never stops the others.
 * For speed, the next units are read while the current one is written, and read units are written in groups of
 * about GROUP_MESSAGES (5,000) messages per transaction (FTS5 writes a new index segment at every commit); a group that
 * fails is written again unit by unit, so one bad unit cannot take others down with it.
 */
import type { Repository } from '../repository/repository'
import { withImageStore } from '../images/image-sink'
import type { ImageStore } from '../images/image-store'
import { reasonFor } from './file-errors'
import { fingerprintUnit, type UnitFingerprint } from './fingerprint'
import { emptySummary, type EntityCounts, type ImportSummary } from './import-summary'
import { contentsOf, UnitReadError, type SourceAdapter, type SourceUnit } from './source-adapter'
import { messagesRead, recordFailure, writeUnit, type ReadUnit, type UnitCounts } from './unit-writes'

export interface ImportTarget {
  readonly path: string
  readonly adapter: SourceAdapter
}

export interface ImportProgress {
  readonly unitsSeen: number
  readonly messagesWritten: number
  readonly current: string
}

export interface ImportOptions {
  readonly now?: () => number
  readonly onProgress?: (progress: ImportProgress) => void
  /** Stops reading further units; what was read is still written, so the repository stays whole. */
  readonly signal?: AbortSignal
  /** Where the images met are kept (images/ in the data directory); without one, references only. */
  readonly images?: ImageStore
  /** This machine's device id (device.json), which the imported messages carry. */
  readonly deviceId?: string
}

const GROUP_MESSAGES = 5_000
/** Units read ahead of the one being written: enough that the writer rarely waits for a file. */
const READ_AHEAD = 3

type PreparedUnit =
  | {
      readonly kind: 'unchanged'
      readonly unit: SourceUnit
      readonly conversations: number
      readonly messages: number
    }
  | ({ readonly kind: 'read' } & ReadUnit)
  | {
      readonly kind: 'failed'
      readonly unit: SourceUnit
      readonly fingerprint: UnitFingerprint | null
      readonly error: unknown
    }

function problemFrom(error: unknown, path: string) {
  if (error instanceof UnitReadError)
    return { path: error.path, reason: error.reason, retryable: error.retryable }
  return { path, reason: reasonFor(error), retryable: false }
}

/** Everything but the write: fingerprint, the previous import, and (when changed) the unit's contents. */
async function prepareUnit(
  repository: Repository,
  adapter: SourceAdapter,
  unit: SourceUnit,
  images: ImageStore | undefined,
): Promise<PreparedUnit> {
  let fingerprint: UnitFingerprint | null = null
  if (unit.problem !== undefined)
    return { kind: 'failed', unit, fingerprint, error: new UnitReadError(unit.key, unit.problem) }
  try {
    fingerprint = await fingerprintUnit(unit.files)
    const previous = await repository.db
      .selectFrom('import_units')
      .select(['fingerprint', 'status', 'conversation_ids', 'messages', 'resume'])
      .where('unit', '=', unit.key)
      .executeTakeFirst()
    if (previous?.status === 'imported' && previous.fingerprint === fingerprint.hash) {
      const conversations = (JSON.parse(previous.conversation_ids) as string[]).length
      return { kind: 'unchanged', unit, conversations, messages: previous.messages }
    }
    const contents = await withImageStore(images, async () =>
      adapter.readUnitFrom
        ? await adapter.readUnitFrom(unit, previous?.resume ?? null)
        : contentsOf(await adapter.readUnit(unit)),
    )
    return { kind: 'read', unit, fingerprint, ...contents }
  } catch (error) {
    return { kind: 'failed', unit, fingerprint, error }
  }
}

const addCounts = (into: EntityCounts, from: EntityCounts): void => {
  into.added += from.added
  into.updated += from.updated
  into.unchanged += from.unchanged
  into.removed += from.removed
  into.gone += from.gone
}

export async function importSources(
  repository: Repository,
  targets: readonly ImportTarget[],
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const summary = emptySummary()
  const now = options.now ?? Date.now
  let unitsSeen = 0
  let messagesWritten = 0
  let group: ReadUnit[] = []
  let groupMessages = 0

  const progress = (unit: SourceUnit) =>
    options.onProgress?.({ unitsSeen, messagesWritten, current: unit.key })
  const fail = async (
    unit: SourceUnit,
    fingerprint: UnitFingerprint | null,
    error: unknown,
    writing = false,
  ) => {
    const problem = writing
      ? {
          path: unit.key,
          reason: `could not be written (${error instanceof Error ? error.message : String(error)})`,
          retryable: false,
        }
      : problemFrom(error, unit.key)
    summary.problems.push(problem)
    await recordFailure(repository, unit, fingerprint, problem.reason, problem.retryable, now)
  }
  const written = (read: ReadUnit, counts: UnitCounts) => {
    addCounts(summary.conversations, counts.conversations)
    addCounts(summary.messages, counts.messages)
    summary.unitsRead += 1
    summary.problems.push(...(read.problems ?? []))
    messagesWritten += messagesRead(read)
  }
  const writeGroup = async (units: readonly ReadUnit[]) => {
    try {
      const counts = await repository.write('import', async (writer, trx) => {
        const all: UnitCounts[] = []
        for (const read of units) all.push(await writeUnit(trx, writer, read, now, options.deviceId))
        return all
      })
      units.forEach((read, i) => written(read, counts[i] as UnitCounts))
    } catch (error) {
      if (units.length === 1 && units[0]) return fail(units[0].unit, units[0].fingerprint, error, true)
      for (const read of units) await writeGroup([read])
    }
  }
  const flush = async () => {
    const units = group
    group = []
    groupMessages = 0
    if (units.length > 0) await writeGroup(units)
    const last = units.at(-1)
    if (last) progress(last.unit)
  }
  const settle = async (pending: Promise<PreparedUnit>) => {
    const prepared = await pending
    unitsSeen += 1
    if (prepared.kind === 'unchanged') {
      summary.unitsUnchanged += 1
      summary.conversations.unchanged += prepared.conversations
      summary.messages.unchanged += prepared.messages
      progress(prepared.unit)
    } else if (prepared.kind === 'failed') {
      await fail(prepared.unit, prepared.fingerprint, prepared.error)
    } else {
      group.push(prepared)
      groupMessages += messagesRead(prepared)
      if (groupMessages >= GROUP_MESSAGES) await flush()
    }
  }

  for (const target of targets) {
    if (options.signal?.aborted) break
    // Reading the next units (file I/O on libuv's threads) overlaps writing this one (SQLite on this thread).
    const pending: Promise<PreparedUnit>[] = []
    const endPass = target.adapter.beginPass?.()
    try {
      for await (const unit of target.adapter.findUnits(target.path)) {
        if (options.signal?.aborted) break
        pending.push(prepareUnit(repository, target.adapter, unit, options.images))
        if (pending.length > READ_AHEAD) await settle(pending.shift() as Promise<PreparedUnit>)
      }
    } catch (error) {
      summary.problems.push(problemFrom(error, target.path))
    }
    try {
      for (const next of pending.splice(0)) await settle(next)
    } finally {
      endPass?.()
    }
    await flush()
  }
  return summary
}
