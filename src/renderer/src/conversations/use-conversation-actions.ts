/**
 * What a person can do to a conversation, each an event the page commits: it syncs to the hub, and the bridge
 * writes it to the SQL repository. Every event says when, on which device, by whom and through the UI.
 */
import { useMemo } from 'react'
import { events } from '../../../shared/livestore/schema'
import { useChronicleStore, useSessionInfo } from '../livestore/chronicle-store'

export function useConversationActions() {
  const store = useChronicleStore()
  const { device } = useSessionInfo()
  return useMemo(() => {
    const about = (conversationId: string) => ({
      at: Date.now(),
      deviceId: device.id,
      actor: 'user',
      origin: 'ui' as const,
      conversationId,
    })
    return {
      setStarred: (id: string, starred: boolean) =>
        store.commit(
          starred ? events.conversationStarred(about(id)) : events.conversationUnstarred(about(id)),
        ),
      setArchived: (id: string, archived: boolean) =>
        store.commit(
          archived ? events.conversationArchived(about(id)) : events.conversationUnarchived(about(id)),
        ),
      rename: (id: string, title: string) =>
        store.commit(events.conversationRenamed({ ...about(id), title })),
      setTags: (id: string, tags: readonly string[]) =>
        store.commit(events.conversationTagged({ ...about(id), tags: [...new Set(tags)] })),
      delete: (id: string) => store.commit(events.conversationDeleted(about(id))),
      restore: (id: string) => store.commit(events.conversationRestored(about(id))),
    }
  }, [store, device.id])
}

export type ConversationActions = ReturnType<typeof useConversationActions>
