/**
 * Which changes of the audit view a later change overrode. Conflicting edits of a conversation resolve by
 * eventlog order on every machine (materializers.ts): a rename, a star or a tag set later wins. The trail keeps
 * both; this says, for an edit the view shows, which later event replaced its value, and whether the two were
 * concurrent: the later one's author, on another device, could not have seen the earlier one.
 * - An edit says what its author had seen (`seen`, events.ts): the newest event the backend had confirmed that
 *   the author's view had applied. The later edit was concurrent when that is below the earlier one's place in the
 *   eventlog. No clock takes part, so the answer is the same on every machine and exact.
 * - An edit made before `seen` was recorded is judged by clocks: concurrent when it was made before the earlier one
 *   reached the library (the worker's acceptance time on a library that syncs, this hub's otherwise). A device
 *   whose clock runs far behind can make such an edit look concurrent.
 * The order of the eventlog, and so the outcome, depends on neither.
 */
import type { Kysely } from 'kysely'
import type { AuditOverride } from '../../shared/api/contract'
import type { Database } from '../repository/database-schema'
import { conversationOfEvent, type AuditEntry } from './audit-query'

type Args = Record<string, unknown>

/** What each edit sets, and the value it sets it to (compared as JSON). */
const EDITS: Readonly<Record<string, { attribute: string; value: (args: Args) => unknown }>> = {
  'v1.ConversationRenamed': { attribute: 'title', value: (args) => args.title },
  'v1.ConversationStarred': { attribute: 'starred', value: () => true },
  'v1.ConversationUnstarred': { attribute: 'starred', value: () => false },
  'v1.ConversationArchived': { attribute: 'archived', value: () => true },
  'v1.ConversationUnarchived': { attribute: 'archived', value: () => false },
  'v1.ConversationTagged': {
    attribute: 'tags',
    value: (args) => (Array.isArray(args.tags) ? [...(args.tags as string[])].sort() : []),
  },
  'v1.ConversationDeleted': { attribute: 'deleted', value: () => true },
  'v1.ConversationRestored': { attribute: 'deleted', value: () => false },
}

/** Events that also set an attribute but are not edits the view marks: an import sets the title it carries. */
const ALSO_SETTING: Readonly<Record<string, { attribute: string; value: (args: Args) => unknown }>> = {
  'v1.ConversationImported': {
    attribute: 'title',
    value: (args) => (args.conversation as Args | undefined)?.title,
  },
}

const PURGED = 'v1.ConversationPurged'

interface Edit {
  readonly seq: number
  readonly name: string
  readonly args: Args
  readonly acceptedAt: number
}

/** The overrides of the edits among `entries`, by the edit's sequence number. */
export async function findOverrides(
  db: Kysely<Database>,
  entries: readonly AuditEntry[],
  deviceNames: ReadonlyMap<string, string>,
): Promise<Map<number, AuditOverride>> {
  const overrides = new Map<number, AuditOverride>()
  const shown = entries.filter((entry) => entry.name in EDITS)
  if (shown.length === 0) return overrides
  // The edits shown and every later event that sets an attribute of their conversations, each with its conversation
  // as the audit filter reads it (one definition, in SQL). The names' index (hub_events_name) keeps this to the
  // edits and imports from the oldest edit shown.
  const rows = await db
    .selectFrom('hub_events')
    .select(['seq', 'name', 'args', conversationOfEvent.as('conversation')])
    .where('seq', '>=', Math.min(...shown.map((entry) => entry.seq)))
    .where('name', 'in', [...Object.keys(EDITS), ...Object.keys(ALSO_SETTING), PURGED])
    .where(
      conversationOfEvent,
      'in',
      db
        .selectFrom('hub_events as edit')
        .select(conversationOfEvent.as('conversation'))
        .where(
          'edit.seq',
          'in',
          shown.map((entry) => entry.seq),
        ),
    )
    .orderBy('seq')
    .execute()
  const conversationAt = new Map<number, string>()
  const later = new Map<string, { seq: number; name: string; args: Args }[]>()
  for (const row of rows) {
    if (row.conversation === null) continue
    conversationAt.set(row.seq, row.conversation)
    const list = later.get(row.conversation) ?? []
    list.push({ seq: row.seq, name: row.name, args: JSON.parse(row.args) as Args })
    later.set(row.conversation, list)
  }
  const edits: Edit[] = shown.map((entry) => ({
    seq: entry.seq,
    name: entry.name,
    args: JSON.parse(entry.args) as Args,
    acceptedAt: entry.acceptedAt,
  }))
  for (const edit of edits) {
    const setter = EDITS[edit.name]
    const conversation = conversationAt.get(edit.seq)
    if (!setter || conversation === undefined) continue
    const value = JSON.stringify(setter.value(edit.args))
    for (const next of later.get(conversation) ?? []) {
      if (next.seq <= edit.seq) continue
      if (next.name === PURGED) break
      const other = EDITS[next.name] ?? ALSO_SETTING[next.name]
      if (other?.attribute !== setter.attribute || JSON.stringify(other.value(next.args)) === value) continue
      const deviceId = typeof next.args.deviceId === 'string' ? next.args.deviceId : ''
      overrides.set(edit.seq, {
        by: next.seq,
        action: next.name,
        deviceId,
        deviceName: deviceNames.get(deviceId) ?? '',
        concurrent: deviceId !== edit.args.deviceId && madeWithoutSeeing(next.args, edit),
      })
      break
    }
  }
  return overrides
}

/** Whether the edit with `args` was made without its author having seen `earlier` (the module comment). */
function madeWithoutSeeing(args: Args, earlier: Edit): boolean {
  if (typeof args.seen === 'number') return args.seen < earlier.seq
  const madeAt = typeof args.at === 'number' ? args.at : Number.POSITIVE_INFINITY
  return madeAt < earlier.acceptedAt
}
