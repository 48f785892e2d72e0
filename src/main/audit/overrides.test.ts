/**
 * Which edits the audit view marks as overridden (overrides.ts), on a real repository's eventlog: a later edit of
 * the same conversation and attribute with another value overrides; one with the same value, another attribute or
 * another conversation does not; a purge ends the conversation's story; an edit made elsewhere by an author who had
 * not seen this one is concurrent, one whose author had, or made on the same device, is not. Edits that do not say
 * what their author had seen (made before it was recorded) are judged by their clocks.
 */
import { describe, expect, it } from 'vitest'
import { openHubEventlog, type GlobalEvent } from '../hub/hub-eventlog'
import { useScratch } from '../repository/test-support/scratch'
import { auditPage } from './audit-page'

const scratch = useScratch()

interface Edit {
  readonly name: string
  readonly device: string
  /** When the device made it, and when the hub (or the worker) accepted it. */
  readonly at: number
  readonly acceptedAt: number
  readonly args: Record<string, unknown>
}

const edit = (name: string, device: string, at: number, args: Record<string, unknown>): Edit => ({
  name: `v1.${name}`,
  device,
  at,
  acceptedAt: at + 100,
  args,
})

async function trail(edits: readonly Edit[]) {
  const repository = scratch.open({ dataDir: scratch.dir() })
  const eventlog = await openHubEventlog(repository.db)
  for (const [i, { name, device, at, acceptedAt, args }] of edits.entries()) {
    const event: GlobalEvent = {
      name,
      args: { at, deviceId: device, actor: 'user', origin: 'ui', ...args },
      seqNum: i + 1,
      parentSeqNum: i,
      clientId: `${device}-page`,
      sessionId: 's',
    }
    const outcome = await eventlog.append([event], { kind: 'ui', deviceId: device }, [acceptedAt])
    expect(outcome.kind).toBe('appended')
  }
  const page = await auditPage(repository, {}, undefined, 100)
  return new Map(page.records.map((record) => [record.seq, record.overriddenBy]))
}

describe('overridden edits in the audit view', () => {
  it('marks an edit a later one replaced; without what its author had seen, concurrent when it was made before the first reached the library', async () => {
    const marks = await trail([
      edit('ConversationRenamed', 'laptop', 1_000, { conversationId: 'c1', title: 'On the laptop' }),
      // Made on the desktop at 1,050, before the laptop's rename was accepted (1,100): it could not have seen it.
      edit('ConversationRenamed', 'desktop', 1_050, { conversationId: 'c1', title: 'On the desktop' }),
      edit('ConversationStarred', 'laptop', 2_000, { conversationId: 'c1' }),
      // The same device takes its star back later: sequential, not concurrent.
      edit('ConversationUnstarred', 'laptop', 3_000, { conversationId: 'c1' }),
      // Made long after the desktop's rename was accepted: its author saw it.
      edit('ConversationRenamed', 'laptop', 9_000, { conversationId: 'c1', title: 'Laptop again' }),
    ])
    expect(marks.get(1)).toMatchObject({ by: 2, deviceId: 'desktop', concurrent: true })
    expect(marks.get(2)).toMatchObject({ by: 5, deviceId: 'laptop', concurrent: false })
    expect(marks.get(3)).toMatchObject({ by: 4, action: 'v1.ConversationUnstarred', concurrent: false })
    expect(marks.get(4)).toBeUndefined()
    expect(marks.get(5)).toBeUndefined()
  })

  it('tells a concurrent edit by what its author had seen, whatever the clocks say', async () => {
    const tenMinutes = 600_000
    const marks = await trail([
      edit('ConversationRenamed', 'laptop', 1_000, { conversationId: 'c1', title: 'On the laptop', seen: 0 }),
      // The desktop's clock runs ten minutes behind, but its view had #1: a later edit, not a concurrent one.
      edit('ConversationRenamed', 'desktop', 1_000 - tenMinutes, {
        conversationId: 'c1',
        title: 'On the desktop',
        seen: 1,
      }),
      // The laptop's clock runs ahead, and its view did not have #2 yet: concurrent, though "made later".
      edit('ConversationRenamed', 'laptop', 1_000 + tenMinutes, {
        conversationId: 'c1',
        title: 'On the laptop, again',
        seen: 1,
      }),
    ])
    expect(marks.get(1)).toMatchObject({ by: 2, deviceId: 'desktop', concurrent: false })
    expect(marks.get(2)).toMatchObject({ by: 3, deviceId: 'laptop', concurrent: true })
    expect(marks.get(3)).toBeUndefined()
  })

  it('leaves an edit a later one only repeated, or that touched something else, unmarked', async () => {
    const marks = await trail([
      edit('ConversationTagged', 'laptop', 1_000, { conversationId: 'c1', tags: ['b', 'a'] }),
      // The same tags in another order: the same value.
      edit('ConversationTagged', 'desktop', 1_010, { conversationId: 'c1', tags: ['a', 'b'] }),
      edit('ConversationRenamed', 'laptop', 2_000, { conversationId: 'c2', title: 'Kept' }),
      // A re-import carrying the renamed title, a rename of another conversation, a star: none replaces it.
      edit('ConversationImported', 'laptop', 3_000, { conversation: { id: 'c2', title: 'Kept' } }),
      edit('ConversationRenamed', 'laptop', 3_500, { conversationId: 'c3', title: 'Elsewhere' }),
      edit('ConversationStarred', 'desktop', 4_000, { conversationId: 'c2' }),
      edit('ConversationRenamed', 'laptop', 5_000, { conversationId: 'c4', title: 'Before the purge' }),
      edit('ConversationPurged', 'laptop', 6_000, { conversationId: 'c4' }),
      // The same id again after a purge is a new conversation's story.
      edit('ConversationRenamed', 'desktop', 7_000, { conversationId: 'c4', title: 'After the purge' }),
    ])
    expect([...marks.values()].filter((mark) => mark !== undefined)).toEqual([])
  })

  it('marks an edit that a later import put back to its own title', async () => {
    const marks = await trail([
      edit('ConversationRenamed', 'laptop', 1_000, { conversationId: 'c1', title: 'Mine' }),
      edit('ConversationImported', 'desktop', 5_000, { conversation: { id: 'c1', title: 'From the file' } }),
    ])
    expect(marks.get(1)).toMatchObject({ by: 2, action: 'v1.ConversationImported', concurrent: false })
  })
})
