/**
 * What a person can do to a conversation, each an event the page commits: it syncs to the hub, and the bridge
 * writes it to the SQL repository. Every event says when, on which device, by whom and through the UI, and what
 * the page had seen of the library (use-seen-head.ts), so the audit view can tell a concurrent edit exactly.
 */
import type { LiveStoreEvent } from '@livestore/livestore'
import { useMemo } from 'react'
import { MAX_EVENTS_PER_COMMIT } from '../../../shared/livestore/commit-size'
import { events, type schema } from '../../../shared/livestore/schema'
import { useChronicleStore, useSeenHead, useSessionInfo } from '../livestore/chronicle-store'

export function useConversationActions() {
  const store = useChronicleStore()
  const { device } = useSessionInfo()
  const seen = useSeenHead()
  return useMemo(() => {
    const about = (conversationId: string) => ({
      at: Date.now(),
      deviceId: device.id,
      actor: 'user',
      origin: 'ui' as const,
      conversationId,
      ...withSeen(seen()),
    })
    const commitEach = (
      ids: readonly string[],
      event: (args: ReturnType<typeof about>) => LiveStoreEvent.Input.ForSchema<typeof schema>,
    ) => {
      const at = Date.now()
      for (let i = 0; i < ids.length; i += MAX_EVENTS_PER_COMMIT)
        store.commit(...ids.slice(i, i + MAX_EVENTS_PER_COMMIT).map((id) => event({ ...about(id), at })))
    }
    return {
      setStarred: (id: string, starred: boolean) =>
        store.commit(
          starred ? events.conversationStarred(about(id)) : events.conversationUnstarred(about(id)),
        ),
      rename: (id: string, title: string) =>
        store.commit(events.conversationRenamed({ ...about(id), title })),
      setTags: (id: string, tags: readonly string[]) =>
        store.commit(events.conversationTagged({ ...about(id), tags: [...new Set(tags)] })),
      // A family (family.ts) moves together: each member with its own event, all with the same time.
      setArchived: (ids: readonly string[], archived: boolean) =>
        commitEach(ids, archived ? events.conversationArchived : events.conversationUnarchived),
      delete: (ids: readonly string[]) => commitEach(ids, events.conversationDeleted),
      restore: (ids: readonly string[]) => commitEach(ids, events.conversationRestored),
    }
  }, [store, device.id, seen])
}

export type ConversationActions = ReturnType<typeof useConversationActions>

/** `seen` when the page knows it (use-seen-head.ts); the schema takes no undefined in its place. */
const withSeen = (seen: number | undefined) => (seen === undefined ? {} : { seen })
