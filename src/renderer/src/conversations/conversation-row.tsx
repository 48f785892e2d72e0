import { memo, useRef, useState, type KeyboardEvent } from 'react'
import type { tables } from '../../../shared/livestore/schema'
import { formatCount, formatShortTime } from '../format'
import { CostFigure, TokenFigures } from '../usage/conversation-usage'
import type { ConversationActions } from './use-conversation-actions'

export type ConversationRowData = typeof tables.conversations.Type

interface RowProps {
  readonly id: string
  /** Undefined for the frame before the rows in view are read: a placeholder of the same height stands in. */
  readonly row: ConversationRowData | undefined
  readonly selected: boolean
  readonly renaming: boolean
  readonly onSelect: (id: string) => void
  readonly onRenameDone: () => void
  readonly actions: ConversationActions
}

/** One conversation: what it is, how big and costly, and the edits that apply to it. */
export const ConversationRow = memo(function ConversationRow({
  id,
  row,
  selected,
  renaming,
  onSelect,
  onRenameDone,
  actions,
}: RowProps) {
  if (!row) return <div className="conversation-row placeholder" id={rowElementId(id)} aria-busy="true" />
  return (
    <div
      className="conversation-row"
      id={rowElementId(row.id)}
      role="option"
      aria-selected={selected}
      data-testid="conversation-row"
      data-conversation-id={row.id}
      onClick={() => onSelect(row.id)}
    >
      <button
        type="button"
        className="star"
        aria-pressed={row.starred}
        aria-label={row.starred ? 'Unstar' : 'Star'}
        title={row.starred ? 'Unstar (S)' : 'Star (S)'}
        onClick={(event) => {
          event.stopPropagation()
          void actions.setStarred(row.id, !row.starred)
        }}
      >
        {row.starred ? '★' : '☆'}
      </button>
      <div className="conversation-main">
        {renaming ? (
          <RenameField row={row} actions={actions} onDone={onRenameDone} />
        ) : (
          <div className="conversation-title" title={row.title}>
            {row.title || 'Untitled conversation'}
          </div>
        )}
        <div className="conversation-meta">
          <span className={`source source-${row.source}`}>{row.source}</span>
          {row.workspace && <span title={row.workspace}>{lastSegment(row.workspace)}</span>}
          {row.model && <span>{row.model}</span>}
          {row.tags.map((tag) => (
            <span key={tag} className="tag">
              #{tag}
            </span>
          ))}
        </div>
      </div>
      <div className="conversation-figures">
        <span>
          <span data-testid="message-count">{formatCount(row.messageCount)}</span> msgs ·{' '}
          <CostFigure usage={row} testId="conversation-cost" />
        </span>
        <TokenFigures usage={row} testId="conversation-tokens" />
        <time dateTime={new Date(row.lastActivityAt).toISOString()}>
          {formatShortTime(row.lastActivityAt)}
        </time>
      </div>
    </div>
  )
})

function RenameField({
  row,
  actions,
  onDone,
}: {
  readonly row: ConversationRowData
  readonly actions: ConversationActions
  readonly onDone: () => void
}) {
  const [title, setTitle] = useState(row.title)
  // Enter saves, and then focus leaving the field would save a second time: one edit is one event.
  const finished = useRef(false)
  const save = () => {
    if (finished.current) return
    finished.current = true
    const next = title.trim()
    if (next !== '' && next !== row.title) void actions.rename(row.id, next)
    onDone()
  }
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    event.stopPropagation()
    if (event.key === 'Enter') save()
    if (event.key === 'Escape') {
      finished.current = true
      onDone()
    }
  }
  return (
    <input
      className="rename-field"
      aria-label="New title"
      autoFocus
      value={title}
      maxLength={500}
      onChange={(event) => setTitle(event.target.value)}
      onKeyDown={onKeyDown}
      onBlur={save}
      onClick={(event) => event.stopPropagation()}
    />
  )
}

const lastSegment = (path: string) => path.split(/[\\/]/).filter(Boolean).at(-1) ?? path

/** The row's element id, for the list's aria-activedescendant. */
export const rowElementId = (conversationId: string) => `conversation-${conversationId}`
