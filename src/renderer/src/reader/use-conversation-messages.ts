/**
 * A conversation's messages as the reader needs them: pages fetched in order through the API (bodies live in the
 * SQL repository, not in the page's store), more as the reader nears the end, all of them up to a message a search
 * hit points at, and the new ones whenever the store says the conversation grew. Messages that came as another
 * machine's preview are asked for again until their bodies are here (use-arriving-bodies.ts).
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import type { ChronicleApi } from '../../../shared/api/contract'
import type { ConversationSummary, Message } from '../../../shared/domain'
import type { Failure } from '../../../shared/result'
import { withArrivedBodies } from './bodies-arriving'
import { useArrivingBodies } from './use-arriving-bodies'

const PAGE = 200
const NO_MESSAGES: readonly Message[] = []

interface Loaded {
  readonly conversation: ConversationSummary
  readonly messages: readonly Message[]
  /** Where the next page starts; null once the last message is here. */
  readonly next: string | null
}

export type ConversationMessages =
  | { readonly status: 'loading' }
  | { readonly status: 'failed'; readonly error: Failure; readonly retry: () => void }
  | ({ readonly status: 'ready'; readonly loadMore: () => void } & Loaded)

export function useConversationMessages(
  api: ChronicleApi,
  conversationId: string,
  /** The message count the page's store knows: when it grows, the new messages are fetched. */
  knownCount: number,
  /** Keep loading pages until this message is in (a search hit's). */
  untilMessageId: string | null,
): ConversationMessages {
  const [loaded, setLoaded] = useState<Loaded | null>(null)
  const [error, setError] = useState<Failure | null>(null)
  const [attempt, setAttempt] = useState(0)
  const busy = useRef(false)

  const fetchPage = useCallback(
    async (from: { cursor: string } | { afterOrdinal: number } | null): Promise<Loaded | Failure> => {
      const result = await api.call('conversation', { id: conversationId, limit: PAGE, ...from })
      if (!result.ok) return result.error
      return {
        conversation: result.value.conversation,
        messages: result.value.messages.items,
        next: result.value.messages.nextCursor,
      }
    },
    [api, conversationId],
  )

  // The first page, and again when another conversation is opened or Retry is pressed.
  useEffect(() => {
    let current = true
    busy.current = false
    void fetchPage(null).then((page) => {
      if (!current) return
      if ('code' in page) setError(page)
      else {
        setError(null)
        setLoaded(page)
      }
    })
    return () => {
      current = false
    }
  }, [fetchPage, attempt])

  /** The page after the last message shown; it is applied by merge() once it arrives, never in the same tick. */
  const nextPage = useCallback(async (): Promise<Loaded | Failure | null> => {
    if (busy.current || !loaded || loaded.conversation.id !== conversationId) return null
    const last = loaded.messages.at(-1)
    const from = loaded.next !== null ? { cursor: loaded.next } : last ? { afterOrdinal: last.ordinal } : null
    busy.current = true
    try {
      return await fetchPage(from)
    } finally {
      busy.current = false
    }
  }, [loaded, conversationId, fetchPage])

  const merge = useCallback((page: Loaded | Failure | null) => {
    if (page === null) return
    if ('code' in page) return setError(page)
    setLoaded((previous) => {
      if (!previous || previous.conversation.id !== page.conversation.id) return previous
      const known = new Set(previous.messages.map((m) => m.id))
      const added = page.messages.filter((m) => !known.has(m.id))
      // Nothing new keeps the same state object, so the effects that asked do not ask again in a loop.
      if (added.length === 0 && page.next === previous.next) return previous
      return { conversation: page.conversation, messages: [...previous.messages, ...added], next: page.next }
    })
  }, [])
  const append = useCallback(() => void nextPage().then(merge), [nextPage, merge])

  // Until the hit's message is in, keep reading pages.
  const hitMissing =
    untilMessageId !== null &&
    loaded !== null &&
    loaded.next !== null &&
    !loaded.messages.some((m) => m.id === untilMessageId)
  useEffect(() => {
    if (hitMissing) append()
  }, [hitMissing, append])

  // The conversation grew (the store's count moved past what is shown, and the last page was read): fetch the rest.
  const grew = loaded !== null && loaded.next === null && knownCount > loaded.messages.length
  useEffect(() => {
    if (grew) append()
  }, [grew, knownCount, append])

  // Bodies that arrive after a message was shown as a preview: swapped in where they belong.
  const arrived = useCallback(
    (fresh: readonly Message[]) =>
      setLoaded((previous) => {
        if (!previous || previous.conversation.id !== conversationId) return previous
        const messages = withArrivedBodies(previous.messages, fresh)
        return messages === previous.messages ? previous : { ...previous, messages }
      }),
    [conversationId],
  )
  const current = loaded !== null && loaded.conversation.id === conversationId
  useArrivingBodies(api, conversationId, current ? loaded.messages : NO_MESSAGES, arrived)

  if (error && (!loaded || loaded.conversation.id !== conversationId))
    return { status: 'failed', error, retry: () => setAttempt((n) => n + 1) }
  if (!loaded || loaded.conversation.id !== conversationId) return { status: 'loading' }
  return { status: 'ready', ...loaded, loadMore: append }
}
