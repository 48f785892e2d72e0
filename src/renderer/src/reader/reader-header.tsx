import { queryDb } from '@livestore/livestore'
import { useMemo } from 'react'
import type { ConversationSummary } from '../../../shared/domain'
import { tables } from '../../../shared/livestore/schema'
import type { ConversationRowData } from '../conversations/conversation-row'
import { formatCount, formatSource, formatTime } from '../format'
import { useChronicleStore } from '../livestore/chronicle-store'
import { CostFigure, TokenFigures } from '../usage/conversation-usage'

/** The conversation that started this one (a sub-agent's or a sub-task's parent). */
const parent$ = (parentId: string) =>
  queryDb(tables.conversations.select('id', 'title').where({ id: parentId }), {
    label: 'readerParent',
    deps: [parentId],
  })
/** The sub-tasks and sub-agents this conversation started. */
const children$ = (id: string) =>
  queryDb(
    tables.conversations
      .select('id', 'title')
      .where({ parentId: id, deletedAt: null })
      .orderBy('createdAt', 'asc'),
    {
      label: 'readerChildren',
      deps: [id],
    },
  )

/**
 * What the conversation is: its title (live: a rename shows at once), where it came from, how big and how
 * costly it was, and links to the conversations it is part of or started.
 */
export function ReaderHeader({
  conversation,
  live,
  onOpenConversation,
}: {
  /** From the repository, once the first page is in. */
  readonly conversation: ConversationSummary | null
  /** From the page's store: current as edits and imports land. */
  readonly live: ConversationRowData | undefined
  readonly onOpenConversation: (id: string) => void
}) {
  const store = useChronicleStore()
  const shown = live ?? conversation
  const id = shown?.id ?? ''
  const parentId = shown?.parentId ?? ''
  const parent = store.useQuery(useMemo(() => parent$(parentId), [parentId]))[0]
  const children = store.useQuery(useMemo(() => children$(id), [id]))
  if (!shown) return <header className="reader-header" aria-busy="true" />
  return (
    <header className="reader-header">
      <h2 className="reader-title" data-testid="reader-title">
        {shown.starred && <span aria-label="Starred">★ </span>}
        {shown.title || 'Untitled conversation'}
      </h2>
      {(shown.deletedAt !== null || shown.archived) && (
        <p className="reader-shelf" role="note">
          {shown.deletedAt !== null
            ? 'In the trash: Restore (or the Delete key) brings it back.'
            : 'Archived.'}
        </p>
      )}
      <p className="reader-facts muted">
        <span>{formatSource(shown.source)}</span>
        {shown.workspace && <span title={shown.workspace}>{shown.workspace}</span>}
        {shown.model && <span>{shown.model}</span>}
        <span>Started {formatTime(shown.createdAt)}</span>
      </p>
      <p className="reader-facts muted" data-testid="reader-stats">
        <span>{formatCount(shown.messageCount)} messages</span>
        <TokenFigures usage={shown} testId="reader-tokens" />
        <CostFigure usage={shown} testId="reader-cost" />
      </p>
      {(parentId !== '' || children.length > 0) && (
        <nav className="reader-relatives" aria-label="Related conversations">
          {parentId !== '' && (
            <button
              type="button"
              className="link"
              disabled={!parent}
              onClick={() => onOpenConversation(parentId)}
            >
              ↑ Started by {parent ? parent.title || 'Untitled' : 'a conversation not in this library'}
            </button>
          )}
          {children.map((child) => (
            <button
              key={child.id}
              type="button"
              className="link"
              onClick={() => onOpenConversation(child.id)}
            >
              ↳ {child.title || 'Untitled sub-task'}
            </button>
          ))}
        </nav>
      )}
    </header>
  )
}
