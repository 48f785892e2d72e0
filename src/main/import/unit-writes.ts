/**
 * The writes of one imported unit: its conversations and messages (merged into what the repository holds, never
 * deleting one: conversation-merge.ts), and its bookkeeping row, all inside the caller's transaction. The counts come from the change feed, so
 * they are exactly what was written; they are returned, not applied, so a rolled-back group counts nothing.
 */
import type { Transaction } from 'kysely'
import type { Database } from '../repository/database-schema'
import type { Repository } from '../repository/repository'
import { chunks, type RepositoryWriter } from '../repository/writes'
import type { UnitFingerprint } from './fingerprint'
import { carriedElsewhere, mergeConversation } from './conversation-merge'
import type { EntityCounts, ImportProblem } from './import-summary'
import type { ImportedConversation, SourceUnit } from './source-adapter'

export interface ReadUnit {
  readonly unit: SourceUnit
  readonly fingerprint: UnitFingerprint
  readonly conversations: readonly ImportedConversation[]
  readonly checkpoint: string | null
  readonly problems?: readonly ImportProblem[]
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

/** When the repository last saw each conversation change (its updated_at), for those it holds. */
async function heldUpdateTimes(
  trx: Transaction<Database>,
  ids: readonly string[],
): Promise<Map<string, number>> {
  const times = new Map<string, number>()
  for (const part of chunks(ids)) {
    const rows = await trx
      .selectFrom('conversations')
      .select(['id', 'updated_at'])
      .where('id', 'in', part)
      .execute()
    for (const row of rows) times.set(row.id, row.updated_at)
  }
  return times
}

/**
 * The conversations this read is the newest data of: only those may change their title, times and totals. A read
 * is newest when it is at least as recent as what is held (by updatedAt), so an older export or a stale copy of a
 * task folder only adds; or when this unit is what the conversation was imported from, and nothing else carries
 * it: then what the unit holds now is the source's present state, even if it got shorter (a rewritten session).
 */
async function newestReads(
  trx: Transaction<Database>,
  unitKey: string,
  conversations: readonly ImportedConversation[],
  held: ReadonlyMap<string, number>,
): Promise<Set<string>> {
  const newest = new Set<string>()
  let own: Set<string> | undefined
  for (const { conversation: c } of conversations) {
    const heldAt = held.get(c.id)
    if (heldAt === undefined || (c.updatedAt ?? c.createdAt) >= heldAt) {
      newest.add(c.id)
      continue
    }
    own ??= await conversationsOfUnit(trx, unitKey)
    if (own.has(c.id) && !(await carriedElsewhere(trx, c.id, unitKey))) newest.add(c.id)
  }
  return newest
}

async function conversationsOfUnit(trx: Transaction<Database>, unitKey: string): Promise<Set<string>> {
  const row = await trx
    .selectFrom('import_units')
    .select('conversation_ids')
    .where('unit', '=', unitKey)
    .executeTakeFirst()
  return new Set(row ? (JSON.parse(row.conversation_ids) as string[]) : [])
}

/** The problems a read met, as the unit's bookkeeping keeps them. */
const problemText = (problems: readonly ImportProblem[]): string | null =>
  problems.length === 0 ? null : problems.map((p) => p.reason).join('; ')

/** The writer, with each message it writes carrying the device that imported it. */
const importedOn = (writer: RepositoryWriter, deviceId: string | undefined): RepositoryWriter =>
  deviceId === undefined
    ? writer
    : {
        ...writer,
        upsertMessages: (rows) => writer.upsertMessages(rows.map((m) => ({ ...m, deviceId }))),
        upsertUsage: (rows) => writer.upsertUsage(rows.map((m) => ({ ...m, deviceId }))),
      }

export async function writeUnit(
  trx: Transaction<Database>,
  repositoryWriter: RepositoryWriter,
  read: ReadUnit,
  now: () => number,
  /** This machine's device (device.json): the messages an import writes came from it. */
  deviceId?: string,
): Promise<UnitCounts> {
  const writer = importedOn(repositoryWriter, deviceId)
  const { unit, fingerprint, conversations, checkpoint, problems = [] } = read
  const before = await trx
    .selectFrom('changes')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst()
  const held = await heldUpdateTimes(
    trx,
    conversations.map((c) => c.conversation.id),
  )
  const newest = await newestReads(trx, unit.key, conversations, held)
  await writer.upsertConversations(
    conversations.filter((c) => newest.has(c.conversation.id)).map((c) => c.conversation),
  )
  let gone = 0
  for (const read of conversations) {
    const id = read.conversation.id
    if (held.has(id)) gone += await mergeConversation(trx, writer, read, newest.has(id), unit.key, now())
    else await writer.upsertMessages(read.messages)
    // Every message the read holds, not only the ones merged in: a response is merged with what is held of it.
    await writer.upsertUsage(read.messages)
  }
  const counted = await trx
    .selectFrom('changes')
    .select(['entity', 'op', (eb) => eb.fn.count<number>('entity_id').distinct().as('n')])
    .where('seq', '>', before?.seq ?? 0)
    .groupBy(['entity', 'op'])
    .execute()
  // A conversation the read added is updated once more when its responses' cost is summed (usage-writes.ts):
  // that is part of adding it, not an update. One walk of the unit's changes, however many it made.
  const conversationChanges = await trx
    .selectFrom('changes')
    .select(['entity_id', 'op'])
    .where('seq', '>', before?.seq ?? 0)
    .where('entity', '=', 'conversation')
    .execute()
  const inserted = new Set(conversationChanges.filter((c) => c.op === 'insert').map((c) => c.entity_id))
  const addedAndCosted = new Set(
    conversationChanges.filter((c) => c.op === 'update' && inserted.has(c.entity_id)).map((c) => c.entity_id),
  ).size
  const counts = (entity: string, total: number, goneNow = 0): EntityCounts => {
    const tally = (op: string) => counted.find((c) => c.entity === entity && c.op === op)?.n ?? 0
    const [added, removed] = [tally('insert'), tally('delete')]
    // Marking a message gone is an update of a message the read does not have: not one of its updates.
    const notUpdates = entity === 'conversation' ? addedAndCosted : goneNow
    const updated = Math.max(0, tally('update') - notUpdates)
    return { added, updated, removed, gone: goneNow, unchanged: Math.max(0, total - added - updated) }
  }
  const retry = problems.some((p) => p.retryable)
  const row = {
    source: unit.source,
    fingerprint: fingerprint.hash,
    files: JSON.stringify(fingerprint.files),
    // A read that stopped early where the file may still grow is read again next time, even if it looks unchanged.
    status: retry ? ('retry' as const) : ('imported' as const),
    error: problemText(problems),
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
    messages: counts('message', messagesInUnit(read), gone),
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
