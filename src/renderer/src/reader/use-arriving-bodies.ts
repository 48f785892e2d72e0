/**
 * While any loaded message is only a preview (its body on another machine, being fetched in the main process),
 * asks the API for those messages again every couple of seconds and hands over the ones that came whole; nothing
 * else tells the page when a body is written. Stops once none waits, and when the reader closes.
 */
import { useEffect } from 'react'
import type { ChronicleApi } from '../../../shared/api/contract'
import type { Message, Page } from '../../../shared/domain'
import { BODIES_ASK_AGAIN_MS, waitingSpan, type WaitingSpan } from './bodies-arriving'

/** The API's largest page: a long stretch is read in few requests, each of which may wait for bodies. */
const SPAN_PAGE = 1_000

export function useArrivingBodies(
  api: ChronicleApi,
  conversationId: string,
  /** The messages loaded for this conversation (an empty list while another one's are). */
  messages: readonly Message[],
  onArrived: (fresh: readonly Message[]) => void,
): void {
  const span = waitingSpan(messages)
  const after = span?.afterOrdinal ?? null
  const through = span?.throughOrdinal ?? null
  const count = span?.count ?? 0

  useEffect(() => {
    if (after === null || through === null) return
    let stopped = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const askAgain = async () => {
      const fresh = await readSpan(api, conversationId, {
        afterOrdinal: after,
        throughOrdinal: through,
        count,
      })
      if (stopped) return
      if (fresh) onArrived(fresh)
      // A body that arrives moves the span and starts this effect afresh; otherwise ask again after a pause.
      timer = setTimeout(() => void askAgain(), BODIES_ASK_AGAIN_MS)
    }
    timer = setTimeout(() => void askAgain(), BODIES_ASK_AGAIN_MS)
    return () => {
      stopped = true
      clearTimeout(timer)
    }
  }, [api, conversationId, after, through, count, onArrived])
}

/** The span's messages as the repository holds them now; null when a request failed (asked again next time). */
async function readSpan(
  api: ChronicleApi,
  conversationId: string,
  span: WaitingSpan,
): Promise<readonly Message[] | null> {
  const fresh: Message[] = []
  let from: { cursor: string } | { afterOrdinal: number } = { afterOrdinal: span.afterOrdinal }
  for (;;) {
    const limit = Math.min(SPAN_PAGE, Math.max(1, span.count - fresh.length))
    const page = await readPage(api, conversationId, from, limit)
    if (page === null) return null
    fresh.push(...page.items)
    const last = page.items.at(-1)
    if (!last || last.ordinal >= span.throughOrdinal || page.nextCursor === null) return fresh
    from = { cursor: page.nextCursor }
  }
}

async function readPage(
  api: ChronicleApi,
  conversationId: string,
  from: { cursor: string } | { afterOrdinal: number },
  limit: number,
): Promise<Page<Message> | null> {
  const result = await api.call('conversation', { id: conversationId, limit, ...from })
  return result.ok ? result.value.messages : null
}
