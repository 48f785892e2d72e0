/**
 * The writes of one imported unit: its conversations and messages, the removal of messages its source no longer
 * has, and its bookkeeping row, all inside the caller's transaction. The counts come from the change feed, so
 * they are exactly what was written; they are returned, not applied, so a rolled-back group counts nothing.
 */
import type { Transaction } from 'kysely'
import type { Database } from '../repository/database-schema'
import type { Repository } from '../repository/repository'
import type { RepositoryWriter } from '../repository/writes'
import type { UnitFingerprint } from './fingerprint'
import type { EntityCounts } from './import-summary'
import type { ImportedConversation, SourceUnit } from './source-adapter'

export interface ReadUnit {
  readonly unit: SourceUnit
  readonly fingerprint: UnitFingerprint
  readonly conversations: readonly ImportedConversation[]
  readonly checkpoint: string | null
}

export interface UnitCounts {
  readonly conversations: EntityCounts
  readonly messages: EntityCounts
}

/** Messages this read produced (a read that went on from a checkpoint has only the new ones). */
export const messagesRead = (read: ReadUnit): number =>
  read.conversations.reduce((n, c) => n + c.messages.length, 0)

/** Messages the unit has in all, the ones imported by earlier reads included. */
const messagesInUnit = (read: ReadUnit): number =>
  read.conversations.reduce((n, c) => n + (c.firstOrdinal ?? 0) + c.messages.length, 0)

export async function writeUnit(
  trx: Transaction<Database>,
  writer: RepositoryWriter,
  read: ReadUnit,
  now: () => number,
): Promise<UnitCounts> {
  const { unit, fingerprint, conversations, checkpoint } = read
  const before = await trx
    .selectFrom('changes')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst()
  await writer.upsertConversations(conversations.map((c) => c.conversation))
  for (const { conversation, messages, firstOrdinal = 0 } of conversations) {
    await writer.upsertMessages(messages)
    // A source that got shorter (rewritten, condensed, truncated) no longer has these messages.
    await trx
      .deleteFrom('messages')
      .where('conversation_id', '=', conversation.id)
      .where('ordinal', '>=', firstOrdinal + messages.length)
      .execute()
  }
  const counted = await trx
    .selectFrom('changes')
    .select(['entity', 'op', (eb) => eb.fn.countAll<number>().as('n')])
    .where('seq', '>', before?.seq ?? 0)
    .groupBy(['entity', 'op'])
    .execute()
  const counts = (entity: string, total: number): EntityCounts => {
    const tally = (op: string) => counted.find((c) => c.entity === entity && c.op === op)?.n ?? 0
    const [added, updated, removed] = [tally('insert'), tally('update'), tally('delete')]
    return { added, updated, removed, unchanged: Math.max(0, total - added - updated) }
  }
  const row = {
    source: unit.source,
    fingerprint: fingerprint.hash,
    files: JSON.stringify(fingerprint.files),
    status: 'imported' as const,
    error: null,
    conversation_ids: JSON.stringify(conversations.map((c) => c.conversation.id)),
    messages: messagesInUnit(read),
    imported_at: now(),
    resume: checkpoint,
  }
  await trx
    .insertInto('import_units')
    .values({ unit: unit.key, ...row })
    .onConflict((oc) => oc.column('unit').doUpdateSet(row))
    .execute()
  return {
    conversations: counts('conversation', conversations.length),
    messages: counts('message', messagesInUnit(read)),
  }
}

/** Remembers the failure (so it is visible) without touching anything imported from the unit before. */
export async function recordFailure(
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
