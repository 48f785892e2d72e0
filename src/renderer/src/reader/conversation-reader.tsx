/**
 * The conversation reader: a header that says what the conversation is, then its messages in order, virtualised
 * (a 5,000-message conversation draws a screenful), paged in from the repository as the reader scrolls. New
 * messages follow a reader who is at the end and wait behind a "new messages" button for one who scrolled up.
 * Ctrl/Cmd+F finds in the whole conversation, its pages not yet read included (find-bar.tsx).
 */
import { useVirtualizer } from '@tanstack/react-virtual'
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import type { ChronicleApi } from '../../../shared/api/contract'
import type { Message } from '../../../shared/domain'
import { useChronicleStore } from '../livestore/chronicle-store'
import { conversation$ } from '../conversations/conversation-query'
import { formatDay, formatSource } from '../format'
import { FindBar } from './find-bar'
import { ImageLoaderProvider } from './image-loader'
import { leftSourceMarks } from './left-source'
import { MessageView } from './message-view'
import { DrawPlainFirst } from './prose'
import './reader.css'
import { ReaderHeader } from './reader-header'
import { useConversationFind } from './use-conversation-find'
import { useConversationMessages } from './use-conversation-messages'
import { useFindHighlights } from './use-find-highlights'
import { useFindKey } from './use-find-key'

/** How close to the end (px) counts as "at the end", where new messages scroll into view by themselves. */
const AT_END_SLACK = 48
/** Ask for the next page this many messages before the last one loaded comes into view. */
const PREFETCH = 30
/** How long after one of the reader's own jumps the rows it brings count as its: a jump settles over a few frames. */
const JUMP_SETTLES_MS = 500
const NO_MESSAGES: readonly Message[] = []

export function ConversationReader({
  api,
  conversationId,
  focusMessageId,
  onOpenConversation,
}: {
  readonly api: ChronicleApi
  readonly conversationId: string
  readonly focusMessageId: string | null
  readonly onOpenConversation: (id: string) => void
}) {
  const store = useChronicleStore()
  const live = store.useQuery(useMemo(() => conversation$(conversationId), [conversationId]))
  const section = useRef<HTMLElement>(null)
  const scroller = useRef<HTMLDivElement>(null)
  const find = useConversationFind(
    api,
    conversationId,
    live?.messageCount ?? 0,
    useCallback(() => ordinalInView(scroller.current), []),
  )
  // The find's current occurrence pages messages in like a search hit does.
  const state = useConversationMessages(
    api,
    conversationId,
    live?.messageCount ?? 0,
    find.target?.messageId ?? focusMessageId,
  )
  const messages = state.status === 'ready' ? state.messages : NO_MESSAGES
  const leftSource = useMemo(() => leftSourceMarks(messages, formatDay), [messages])
  const sourceName = state.status === 'ready' ? formatSource(state.conversation.source) : ''

  // This app does not run the React Compiler, whose memoisation the virtualiser's API would defeat.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: messages.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 120,
    getItemKey: (index) => messages[index]?.id ?? index,
    overscan: 6,
  })

  // The reader's own jumps (a search hit, the find's occurrence, Home and End, new messages followed, another
  // conversation) draw the messages they bring as markdown at once, as an opening does; only those that the user's
  // own scrolling brings are drawn as plain text first (prose.tsx).
  const jumpedAt = useRef(Number.NEGATIVE_INFINITY)
  const markJump = useCallback(() => {
    jumpedAt.current = performance.now()
  }, [])
  const jumpTo = useCallback(
    (index: number, align: 'start' | 'center' | 'end') => {
      markJump()
      virtualizer.scrollToIndex(index, { align })
    },
    [virtualizer, markJump],
  )
  const drawPlainFirst = useCallback(
    () => virtualizer.isScrolling && performance.now() - jumpedAt.current > JUMP_SETTLES_MS,
    [virtualizer],
  )

  // Whether the reader is at the end, kept on every scroll: new messages follow only a reader who is.
  const atEnd = useRef(true)
  const [unseen, setUnseen] = useState(0)
  const onScroll = () => {
    const el = scroller.current
    if (!el) return
    atEnd.current = el.scrollHeight - el.scrollTop - el.clientHeight < AT_END_SLACK
    if (atEnd.current) setUnseen(0)
  }

  // Another conversation starts at its top (or at the hit), with nothing unseen.
  useLayoutEffect(() => {
    setUnseen(0)
    atEnd.current = false
    const el = scroller.current
    if (!el || el.scrollTop === 0) return
    markJump()
    el.scrollTo({ top: 0 })
  }, [conversationId, markJump])

  // Messages that arrive after the first page was read: follow them, or count them.
  const shownCount = useRef({ id: conversationId, count: 0, complete: false })
  const complete = state.status === 'ready' && state.next === null
  useEffect(() => {
    const previous = shownCount.current
    shownCount.current = { id: conversationId, count: messages.length, complete }
    if (previous.id !== conversationId || !previous.complete) return
    const added = messages.length - previous.count
    if (added <= 0) return
    if (atEnd.current) jumpTo(messages.length - 1, 'end')
    else setUnseen((n) => n + added)
  }, [messages.length, conversationId, complete, jumpTo])

  // The search hit's message: brought to the top of the view once it is loaded (a long one reads from its start).
  const focusIndex = focusMessageId === null ? -1 : messages.findIndex((m) => m.id === focusMessageId)
  const focusedOnce = useRef<string | null>(null)
  useEffect(() => {
    const key = `${conversationId}/${focusMessageId}`
    if (focusIndex < 0 || focusedOnce.current === key) return
    focusedOnce.current = key
    jumpTo(focusIndex, 'start')
  }, [focusIndex, focusMessageId, conversationId, jumpTo])

  // More messages as the reader nears the last one loaded.
  const virtualItems = virtualizer.getVirtualItems()
  const lastInView = virtualItems.at(-1)?.index ?? 0
  const loadMore = state.status === 'ready' && state.next !== null ? state.loadMore : null
  useEffect(() => {
    if (loadMore && lastInView >= messages.length - PREFETCH) loadMore()
  }, [loadMore, lastInView, messages.length])

  // The find's occurrence: its message scrolled to once loaded (when off screen); use-find-highlights does the rest.
  const targetIndex = find.target ? messages.findIndex((m) => m.id === find.target?.messageId) : -1
  const scrolledMove = useRef(-1)
  useEffect(() => {
    if (targetIndex < 0 || scrolledMove.current === find.moves) return
    scrolledMove.current = find.moves
    const item = virtualizer.getVirtualItems().find((i) => i.index === targetIndex)
    const top = virtualizer.scrollOffset ?? 0
    const bottom = top + (virtualizer.scrollRect?.height ?? 0)
    if (!item || item.end <= top || item.start >= bottom) jumpTo(targetIndex, 'center')
  }, [targetIndex, find.moves, virtualizer, jumpTo])
  useFindHighlights(scroller, find, markJump)
  const [findFocus, setFindFocus] = useState(0)
  useFindKey(section, () => {
    find.show()
    setFindFocus((n) => n + 1)
  })
  const closeFind = () => {
    find.close()
    scroller.current?.focus()
  }

  const toEnd = useCallback(() => {
    setUnseen(0)
    jumpTo(messages.length - 1, 'end')
  }, [jumpTo, messages.length])

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Home') jumpTo(0, 'start')
    else if (event.key === 'End') toEnd()
    else if (event.key === 'Escape' && find.open) closeFind()
    else return
    event.preventDefault()
  }

  return (
    <ImageLoaderProvider api={api}>
      <section
        ref={section}
        className="reader"
        aria-label="Conversation"
        data-testid="reader"
        data-state={state.status}
        data-conversation-id={conversationId}
      >
        <ReaderHeader
          conversation={state.status === 'ready' ? state.conversation : null}
          live={live}
          onOpenConversation={onOpenConversation}
        />
        {find.open && <FindBar find={find} focusRequest={findFocus} onClose={closeFind} />}
        {state.status === 'failed' && (
          <div className="reader-state" role="alert">
            <p>This conversation could not be read: {state.error.message}</p>
            <button type="button" onClick={state.retry}>
              Try again
            </button>
          </div>
        )}
        {state.status === 'loading' && (
          <p className="reader-state muted" aria-busy="true">
            Loading messages…
          </p>
        )}
        {state.status === 'ready' && messages.length === 0 && (
          <p className="reader-state muted">
            This conversation has no messages yet; new ones appear here as they are written.
          </p>
        )}
        <div
          ref={scroller}
          className="reader-scroll"
          tabIndex={0}
          onScroll={onScroll}
          onKeyDown={onKeyDown}
          data-testid="reader-scroll"
        >
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            <DrawPlainFirst value={drawPlainFirst}>
              {virtualItems.map((item) => {
                const message = messages[item.index]
                if (!message) return null
                return (
                  <div
                    key={item.key}
                    ref={virtualizer.measureElement}
                    data-index={item.index}
                    data-ordinal={message.ordinal}
                    className="message-slot"
                    style={{ transform: `translateY(${item.start}px)` }}
                  >
                    <MessageView
                      message={message}
                      focused={message.id === focusMessageId}
                      findCurrent={message.id === find.target?.messageId}
                      leftSource={leftSource[item.index] ?? null}
                      sourceName={sourceName}
                    />
                  </div>
                )
              })}
            </DrawPlainFirst>
          </div>
          {loadMore && <p className="reader-more muted">Loading more messages…</p>}
        </div>
        {unseen > 0 && (
          <button type="button" className="new-messages" onClick={toEnd} data-testid="new-messages">
            {unseen === 1 ? '1 new message' : `${unseen} new messages`} ↓
          </button>
        )}
      </section>
    </ImageLoaderProvider>
  )
}

/** The ordinal of the first message whose slot reaches into the view, where a new find starts. */
function ordinalInView(scroller: HTMLElement | null): number {
  if (!scroller) return 0
  const top = scroller.getBoundingClientRect().top
  for (const slot of scroller.querySelectorAll<HTMLElement>('.message-slot')) {
    if (slot.getBoundingClientRect().bottom > top) return Number(slot.dataset.ordinal ?? 0)
  }
  return 0
}
