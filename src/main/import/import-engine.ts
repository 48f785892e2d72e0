/**
 * Imports units from adapters into the repository, incrementally and idempotently:
 * - a unit whose files have the same sizes and mtimes as last time is not read (a no-op re-import is stat calls);
 * - a changed unit is read whole and upserted, and upserts write only rows whose values changed, so only what
 *   changed reaches the change feed; messages past a conversation's new end (a rewritten or truncated source)
 *   are removed;
 * - the unit's bookkeeping commits in the same transaction as its rows, so a crash never records a unit as
 *   imported without its rows, or the other way round;
 * - bad input in one unit is reported with its path and reason and never stops the others.
 * The counts come from the change feed itself, so they are exactly what was written.
 */
import type { Transaction } from 'kysely'
import type { Database } from '../repository/database-schema'
import type { Repository } from '../repository/repository'
import type { RepositoryWriter } from '../repository/writes'
import { fingerprintUnit, type UnitFingerprint } from './fingerprint'
import { emptySummary, type ImportSummary } from './import-summary'
import {
  UnitReadError,
  type ImportedConversation,
  type SourceAdapter,
  type SourceUnit,
} from './source-adapter'

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
  const settle = async (pending: Promise<PreparedUnit>) => {
    const prepared = await pending
    messagesWritten += await settleUnit(repository, prepared, summary, now)
    unitsSeen += 1
    options.onProgress?.({ unitsSeen, messagesWritten, current: prepared.unit.key })
  }
  for (const target of targets) {
    // Reading unit N+1 (file I/O on libuv's threads) overlaps writing unit N (SQLite on this thread).
    let pending: Promise<PreparedUnit> | null = null
    try {
      for await (const unit of target.adapter.findUnits(target.path)) {
        const next = prepareUnit(repository, target.adapter, unit)
        if (pending) await settle(pending)
        pending = next
      }
    } catch (error) {
      summary.problems.push(problemFrom(error, target.path))
    }
    if (pending) await settle(pending)
  }
  return summary
}

function problemFrom(error: unknown, path: string) {
  if (error instanceof UnitReadError)
    return { path: error.path, reason: error.reason, retryable: error.retryable }
  const code = (error as { code?: string }).code
  return { path, reason: code ? `cannot be read (${code})` : String(error), retryable: false }
}

type PreparedUnit =
  | {
      readonly kind: 'unchanged'
      readonly unit: SourceUnit
      readonly conversations: number
      readonly messages: number
    }
  | {
      readonly kind: 'read'
      readonly unit: SourceUnit
      readonly fingerprint: UnitFingerprint
      readonly conversations: readonly ImportedConversation[]
    }
  | {
      readonly kind: 'failed'
      readonly unit: SourceUnit
      readonly fingerprint: UnitFingerprint | null
      readonly error: unknown
    }

/** Everything but the write: fingerprint, the previous import, and (when changed) the unit's contents. */
async function prepareUnit(
  repository: Repository,
  adapter: SourceAdapter,
  unit: SourceUnit,
): Promise<PreparedUnit> {
  let fingerprint: UnitFingerprint | null = null
  try {
    fingerprint = await fingerprintUnit(unit.files)
    const previous = await repository.db
      .selectFrom('import_units')
      .select(['fingerprint', 'status', 'conversation_ids', 'messages'])
      .where('unit', '=', unit.key)
      .executeTakeFirst()
    if (previous?.status === 'imported' && previous.fingerprint === fingerprint.hash) {
      const conversations = (JSON.parse(previous.conversation_ids) as string[]).length
      return { kind: 'unchanged', unit, conversations, messages: previous.messages }
    }
    return { kind: 'read', unit, fingerprint, conversations: await adapter.readUnit(unit) }
  } catch (error) {
    return { kind: 'failed', unit, fingerprint, error }
  }
}

/** Writes (or records the failure of) one prepared unit; returns the messages it holds when it was written. */
async function settleUnit(
  repository: Repository,
  prepared: PreparedUnit,
  summary: ImportSummary,
  now: () => number,
): Promise<number> {
  const { unit } = prepared
  if (prepared.kind === 'unchanged') {
    summary.unitsUnchanged += 1
    summary.conversations.unchanged += prepared.conversations
    summary.messages.unchanged += prepared.messages
    return 0
  }
  let failure = prepared.kind === 'failed' ? prepared.error : null
  if (prepared.kind === 'read') {
    try {
      await repository.write('import', (writer, trx) =>
        writeUnit(trx, unit, prepared.fingerprint, prepared.conversations, summary, now, writer),
      )
      summary.unitsRead += 1
      return prepared.conversations.reduce((n, c) => n + c.messages.length, 0)
    } catch (error) {
      failure = error
    }
  }
  const problem = problemFrom(failure, unit.key)
  summary.problems.push(problem)
  await recordFailure(repository, unit, prepared.fingerprint, problem.reason, problem.retryable, now)
  return 0
}

async function writeUnit(
  trx: Transaction<Database>,
  unit: SourceUnit,
  fingerprint: UnitFingerprint,
  conversations: readonly ImportedConversation[],
  summary: ImportSummary,
  now: () => number,
  writer: RepositoryWriter,
): Promise<void> {
  const before = await trx
    .selectFrom('changes')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst()
  await writer.upsertConversations(conversations.map((c) => c.conversation))
  for (const { conversation, messages } of conversations) {
    await writer.upsertMessages(messages)
    // A source that got shorter (rewritten, condensed, truncated) no longer has these messages.
    await trx
      .deleteFrom('messages')
      .where('conversation_id', '=', conversation.id)
      .where('ordinal', '>=', messages.length)
      .execute()
  }
  const counted = await trx
    .selectFrom('changes')
    .select(['entity', 'op', (eb) => eb.fn.countAll<number>().as('n')])
    .where('seq', '>', before?.seq ?? 0)
    .groupBy(['entity', 'op'])
    .execute()
  const tally = (entity: string, op: string) =>
    counted.find((c) => c.entity === entity && c.op === op)?.n ?? 0
  const messageTotal = conversations.reduce((n, c) => n + c.messages.length, 0)
  for (const [entity, counts, total] of [
    ['conversation', summary.conversations, conversations.length],
    ['message', summary.messages, messageTotal],
  ] as const) {
    const added = tally(entity, 'insert')
    const updated = tally(entity, 'update')
    counts.added += added
    counts.updated += updated
    counts.removed += tally(entity, 'delete')
    counts.unchanged += Math.max(0, total - added - updated)
  }
  const row = {
    source: unit.source,
    fingerprint: fingerprint.hash,
    files: JSON.stringify(fingerprint.files),
    status: 'imported' as const,
    error: null,
    conversation_ids: JSON.stringify(conversations.map((c) => c.conversation.id)),
    messages: messageTotal,
    imported_at: now(),
  }
  await trx
    .insertInto('import_units')
    .values({ unit: unit.key, ...row })
    .onConflict((oc) => oc.column('unit').doUpdateSet(row))
    .execute()
}

/** Remembers the failure (so it is visible) without touching anything imported from the unit before. */
async function recordFailure(
  repository: Repository,
  unit: SourceUnit,
  fingerprint: UnitFingerprint | null,
  reason: string,
  retryable: boolean,
  now: () => number,
): Promise<void> {
  const row = {
    source: unit.source,
    fingerprint: fingerprint?.hash ?? '',
    files: JSON.stringify(fingerprint?.files ?? []),
    status: retryable ? ('retry' as const) : ('failed' as const),
    error: reason,
    imported_at: now(),
  }
  await repository.db
    .insertInto('import_units')
    .values({ unit: unit.key, ...row })
    .onConflict((oc) => oc.column('unit').doUpdateSet(row))
    .execute()
}
