import { memo, useRef, useState, type KeyboardEvent } from 'react'
import type { tables } from '../../../shared/livestore/schema'
import { formatCount, formatShortTime } from '../format'
import { CostFigure, TokenFigures } from '../usage/conversation-usage'
import type { ConversationActions } from './use-conversation-actions'
import { addFigures, type FoldedFigures } from './use-nested-list'

export type ConversationRowData = typeof tables.conversations.Type

interface RowProps {
  readonly id: string
  /** Undefined for the frame before the rows in view are read: a placeholder of the same height stands in. */
  readonly row: ConversationRowData | undefined
  /**
   * Where the row sits in the nesting (nest-rows.ts), as values rather than the list's entry: the entries are made
   * anew whenever the list changes, and an object would re-render every row in view after a write to any one.
   */
  readonly depth: number
  /** Direct children drawn when expanded; 0 for a row without a toggle. */
  readonly shownChildren: number
  readonly expanded: boolean
  /** What the conversations nested under it add to its figures (only for a parent in view). */
  readonly folded: FoldedFigures | undefined
  readonly onToggle: (id: string, open: boolean) => void
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
  depth,
  shownChildren,
  expanded,
  folded,
  onToggle,
  selected,
  renaming,
  onSelect,
  onRenameDone,
  actions,
}: RowProps) {
  // A nested row is indented by its depth; a top-level row keeps the stylesheet's padding.
  const indent = depth > 0 ? { paddingLeft: `calc(4px + ${depth * 1.25}rem)` } : undefined
  if (!row)
    return (
      <div className="conversation-row placeholder" id={rowElementId(id)} aria-busy="true" style={indent} />
    )
  // One row, one piece of work: its cost is its own and that of all it started.
  const usage = folded ? addFigures(row, folded) : row
  return (
    <div
      className={depth > 0 ? 'conversation-row nested' : 'conversation-row'}
      id={rowElementId(row.id)}
      role="option"
      aria-selected={selected}
      data-testid="conversation-row"
      data-conversation-id={row.id}
      data-depth={depth}
      data-parent-id={depth > 0 ? (row.parentId ?? undefined) : undefined}
      style={indent}
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
          {shownChildren > 0 && (
            <button
              type="button"
              className="children-toggle"
              aria-expanded={expanded}
              data-testid="children-toggle"
              title={expanded ? 'Hide what it started (←)' : 'Show what it started (→)'}
              onClick={(event) => {
                event.stopPropagation()
                onToggle(row.id, !expanded)
              }}
            >
              {expanded ? '▾' : '▸'} {childrenLabel(shownChildren, row.source)}
            </button>
          )}
        </div>
      </div>
      <div className="conversation-figures">
        <span>
          <span data-testid="message-count">{formatCount(row.messageCount)}</span> msgs ·{' '}
          <CostFigure usage={usage} testId="conversation-cost" />
        </span>
        <TokenFigures usage={usage} testId="conversation-tokens" />
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

/** Claude Code starts sub-agents; Roo and Cline start sub-tasks. */
const childrenLabel = (n: number, source: string) =>
  `${n.toLocaleString()} ${source === 'claude-code' ? 'sub-agent' : 'sub-task'}${n === 1 ? '' : 's'}`

const lastSegment = (path: string) => path.split(/[\\/]/).filter(Boolean).at(-1) ?? path

/** The row's element id, for the list's aria-activedescendant. */
export const rowElementId = (conversationId: string) => `conversation-${conversationId}`
