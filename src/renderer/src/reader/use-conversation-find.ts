/**
 * The reader's find: the query, the main side's list of matching messages (all of the conversation's, loaded in
 * the reader or not), and which occurrence is current. Occurrences are numbered across the whole conversation, so
 * "3 of 41" means the same thing before and after the pages holding them are read.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { ChronicleApi, ConversationFind } from '../../../shared/api/contract'
import { parseSearchQuery, type ParsedSearch } from '../../../shared/search/search-query'
import { firstFrom, positionOf, stepped, targetAt, type FindTarget } from './find-position'

export interface ConversationFindState {
  readonly open: boolean
  readonly query: string
  /** The parsed query the highlights are painted with; null while it is empty or not valid. */
  readonly search: ParsedSearch | null
  readonly status: 'idle' | 'searching' | 'ready' | 'failed'
  readonly error: string | null
  readonly total: number
  /** The current occurrence, 0-based; -1 when there is none. */
  readonly position: number
  readonly truncated: boolean
  readonly target: FindTarget | null
  /** Changes with every move, so the reader scrolls again to an occurrence it was already at. */
  readonly moves: number
  show(): void
  close(): void
  setQuery(query: string): void
  step(direction: 1 | -1): void
}

/** The main side's answer to one query, and the occurrence shown of it. */
type Answer =
  | { readonly query: string; readonly find: ConversationFind; readonly position: number }
  | { readonly query: string; readonly error: string }

export function useConversationFind(
  api: ChronicleApi,
  conversationId: string,
  /** The message count the page's store knows: when it grows, the find asks again. */
  knownCount: number,
  /** The ordinal of the first message in view, where a new find starts. */
  anchorOrdinal: () => number,
): ConversationFindState {
  const [owner, setOwner] = useState(conversationId)
  const [open, setOpen] = useState(false)
  const [query, setQuery] = useState('')
  const [answer, setAnswer] = useState<Answer | null>(null)
  const [moves, setMoves] = useState(0)
  // Another conversation closes the find: its matches belong to the one that was open.
  if (owner !== conversationId) {
    setOwner(conversationId)
    setOpen(false)
    setQuery('')
    setAnswer(null)
  }
  const anchor = useRef(anchorOrdinal)
  useEffect(() => {
    anchor.current = anchorOrdinal
  })

  // Parsed as the main side parses it, so the paint marks what was counted.
  const parsed = useMemo(
    () => (query.trim() === '' ? null : parseSearchQuery(query, { asYouType: true })),
    [query],
  )
  const search = parsed?.ok ? parsed.value : null
  const asking = open && query.trim() !== ''

  // Each keystroke asks; an answer to a query since replaced is dropped. A conversation that grows asks again.
  useEffect(() => {
    if (!asking) return
    let live = true
    void api.call('findInConversation', { conversationId, query, asYouType: true }).then((result) => {
      if (!live) return
      setMoves((n) => n + 1)
      setAnswer((previous) => {
        if (!result.ok) return { query, error: result.error.message }
        const find = result.value
        // The same query answered again (new messages): stay on the occurrence shown while it is there.
        const shown =
          previous && previous.query === query && 'find' in previous
            ? targetAt(previous.find, previous.position)
            : null
        const kept = shown ? positionOf(find, shown) : -1
        const position = kept >= 0 ? kept : firstFrom(find, anchor.current())
        return { query, find, position: find.total === 0 ? -1 : position }
      })
    })
    return () => {
      live = false
    }
  }, [api, conversationId, asking, query, knownCount])

  const current = asking && answer?.query === query ? answer : null
  const find = current && 'find' in current ? current.find : null
  const position = current && 'find' in current ? current.position : -1
  const total = find?.total ?? 0
  const target = useMemo(() => (find && position >= 0 ? targetAt(find, position) : null), [find, position])

  const step = useCallback((direction: 1 | -1) => {
    setAnswer((previous) => {
      if (!previous || !('find' in previous) || previous.find.total === 0) return previous
      return { ...previous, position: stepped(previous.position, direction, previous.find.total) }
    })
    setMoves((n) => n + 1)
  }, [])
  const show = useCallback(() => setOpen(true), [])
  const close = useCallback(() => setOpen(false), [])

  const error = current && 'error' in current ? current.error : null
  return {
    open,
    query,
    search,
    status: !asking ? 'idle' : error ? 'failed' : find ? 'ready' : 'searching',
    error: error ?? (parsed && !parsed.ok ? parsed.error.message : null),
    total,
    position: target ? position : -1,
    truncated: find?.truncated ?? false,
    target,
    moves,
    show,
    close,
    setQuery,
    step,
  }
}
