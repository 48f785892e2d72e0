/**
 * Which changes of the audit view a later change overrode. Conflicting edits of a conversation resolve by
 * eventlog order on every machine (materializers.ts): a rename, a star or a tag set later wins. The trail keeps
 * both; this says, for an edit the view shows, which later event replaced its value, and whether the two were
 * concurrent: the later one was made before the earlier one reached the library (the worker's acceptance time on a
 * library that syncs, this hub's otherwise), so its author could not have seen it. That test reads the device's
 * clock against the acceptor's, so a device whose clock runs far behind can make a sequential edit look
 * concurrent; the order of the eventlog, and so the outcome, does not depend on it.
 */
import { sql, type Kysely } from 'kysely'
import type { AuditOverride } from '../../shared/api/contract'
import type { Database } from '../repository/database-schema'
import type { AuditEntry } from './audit-query'

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

const conversationOf = (args: Args): string | undefined => {
  const id = args.conversationId ?? (args.conversation as Args | undefined)?.id
  return typeof id === 'string' ? id : undefined
}

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
  const edits: Edit[] = []
  for (const entry of entries) {
    if (!(entry.name in EDITS)) continue
    edits.push({
      seq: entry.seq,
      name: entry.name,
      args: JSON.parse(entry.args) as Args,
      acceptedAt: entry.acceptedAt,
    })
  }
  const overrides = new Map<number, AuditOverride>()
  const conversations = [
    ...new Set(edits.map((edit) => conversationOf(edit.args)).filter((id) => id !== undefined)),
  ]
  if (conversations.length === 0) return overrides
  const after = Math.min(...edits.map((edit) => edit.seq))
  // The names' index (hub_events_name) keeps this to the edits and imports after the oldest edit shown.
  const rows = await db
    .selectFrom('hub_events')
    .select(['seq', 'name', 'args'])
    .where('seq', '>', after)
    .where('name', 'in', [...Object.keys(EDITS), ...Object.keys(ALSO_SETTING), PURGED])
    .where(
      sql<string>`coalesce(json_extract(args, '$.conversationId'), json_extract(args, '$.conversation.id'))`,
      'in',
      conversations,
    )
    .orderBy('seq')
    .execute()
  const later = new Map<string, { seq: number; name: string; args: Args }[]>()
  for (const row of rows) {
    const args = JSON.parse(row.args) as Args
    const conversation = conversationOf(args) ?? ''
    const list = later.get(conversation) ?? []
    list.push({ seq: row.seq, name: row.name, args })
    later.set(conversation, list)
  }
  for (const edit of edits) {
    const setter = EDITS[edit.name]
    const conversation = conversationOf(edit.args)
    if (!setter || conversation === undefined) continue
    const value = JSON.stringify(setter.value(edit.args))
    for (const next of later.get(conversation) ?? []) {
      if (next.seq <= edit.seq) continue
      if (next.name === PURGED) break
      const other = EDITS[next.name] ?? ALSO_SETTING[next.name]
      if (other?.attribute !== setter.attribute || JSON.stringify(other.value(next.args)) === value) continue
      const deviceId = typeof next.args.deviceId === 'string' ? next.args.deviceId : ''
      const madeAt = typeof next.args.at === 'number' ? next.args.at : Number.POSITIVE_INFINITY
      overrides.set(edit.seq, {
        by: next.seq,
        action: next.name,
        deviceId,
        deviceName: deviceNames.get(deviceId) ?? '',
        concurrent: deviceId !== edit.args.deviceId && madeAt < edit.acceptedAt,
      })
      break
    }
  }
  return overrides
}
