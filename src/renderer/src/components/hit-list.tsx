import { useState, type KeyboardEvent } from 'react'
import type { SearchHit } from '../../../shared/domain'
import { formatDay } from '../format'
import { groupHits, type HitGroup } from './group-hits'
import { Snippet } from './snippet'

type Open = (conversationId: string, messageId: string | null) => void

interface HitListProps {
  readonly titleHits: readonly SearchHit[]
  readonly hits: readonly SearchHit[]
  /** The query these results answer (the newest one may still be on its way). */
  readonly answers: string
  /** One row per conversation (its best hit, the others behind "N more"), or every hit in rank order. */
  readonly grouped: boolean
  readonly onOpen: Open
}

export function HitList({ titleHits, hits, answers, grouped, onOpen }: HitListProps) {
  if (hits.length === 0 && titleHits.length === 0) {
    return (
      <p className="muted" data-testid="search-empty" data-answers={answers}>
        No matches.
      </p>
    )
  }
  const all = [...titleHits, ...hits]
  return (
    <ol className="hits" data-testid="search-results" data-answers={answers} data-grouped={grouped}>
      {grouped
        ? groupHits(all).map((group) => (
            <GroupItem key={group.conversationId} group={group} onOpen={onOpen} />
          ))
        : all.map((hit) => <HitItem key={hitKey(hit)} hit={hit} onOpen={onOpen} />)}
    </ol>
  )
}

const hitKey = (hit: SearchHit): string => `${hit.kind}:${hit.messageId ?? hit.conversationId}`

/** A conversation's best hit; its other hits are shown under it on demand, and the choice is per answer. */
function GroupItem({ group, onOpen }: { readonly group: HitGroup; readonly onOpen: Open }) {
  const [expanded, setExpanded] = useState(false)
  const count = group.more.length
  return (
    <li className="hit-group" data-testid="search-group" data-conversation-id={group.conversationId}>
      <ol className="hits hit-group-hits">
        <HitItem hit={group.best} onOpen={onOpen} />
        {expanded &&
          group.more.map((hit) => <HitItem key={hitKey(hit)} hit={hit} onOpen={onOpen} underBest />)}
      </ol>
      {count > 0 && (
        <button
          type="button"
          className="hit-group-more"
          data-testid="search-group-more"
          aria-expanded={expanded}
          onClick={() => setExpanded(!expanded)}
        >
          {expanded ? 'Show only the best match' : `${count} more in this conversation`}
        </button>
      )}
    </li>
  )
}

interface HitItemProps {
  readonly hit: SearchHit
  readonly onOpen: Open
  /** Under its conversation's best hit, which already names the conversation. */
  readonly underBest?: boolean
}

function HitItem({ hit, onOpen, underBest = false }: HitItemProps) {
  return (
    <li
      className="hit"
      data-testid="search-hit"
      data-conversation-id={hit.conversationId}
      tabIndex={0}
      onClick={() => onOpen(hit.conversationId, hit.messageId)}
      onKeyDown={(event) => {
        if (event.key === 'Enter') onOpen(hit.conversationId, hit.messageId)
        if (event.key === 'ArrowDown' || event.key === 'ArrowUp') moveFocus(event)
      }}
    >
      <div className="hit-title">
        {!underBest && (hit.conversationTitle || '(untitled)')}
        <span className="hit-meta">
          {hit.source}
          {hit.workspace ? ` · ${hit.workspace}` : ''}
          {hit.createdAt !== null ? ` · ${formatDay(hit.createdAt)}` : ''}
          {hit.kind === 'title' ? ' · title' : hit.role ? ` · ${hit.role}` : ''}
        </span>
      </div>
      <Snippet text={hit.snippet} />
    </li>
  )
}

/** Arrows walk every hit shown, across conversation groups too. */
function moveFocus(event: KeyboardEvent<HTMLElement>): void {
  const results = event.currentTarget.closest('[data-testid="search-results"]')
  if (!results) return
  event.preventDefault()
  const items = [...results.querySelectorAll<HTMLElement>('[data-testid="search-hit"]')]
  const index = items.indexOf(event.currentTarget)
  items[index + (event.key === 'ArrowDown' ? 1 : -1)]?.focus()
}
