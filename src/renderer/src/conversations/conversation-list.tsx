/**
 * The conversation list: the page's store answers the filters, the virtualiser draws only the rows in view (a
 * 10,000-row library scrolls like a 50-row one), and the keyboard does everything the mouse does.
 */
import { useVirtualizer } from '@tanstack/react-virtual'
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { useChronicleStore } from '../livestore/chronicle-store'
import {
  conversation$,
  conversationList$,
  conversationsById$,
  NO_FILTERS,
  parseListRows,
  type ListFilters,
} from './conversation-query'
import { ConversationRow, rowElementId, type ConversationRowData } from './conversation-row'
import { useRowsById } from './rows-by-id'
import type { Grouping } from './list-items'
import { ListToolbar } from './list-toolbar'
import { idsToArchive, idsToRestore, idsToTrash } from './family'
import { useConversationActions } from './use-conversation-actions'
import { useFling } from './use-fling'
import { UndoBar, type Undoable } from './undo-bar'
import { TagEditor } from './tag-editor'
import { EmptyList } from './empty-list'
import { TrivialToggle } from './trivial-toggle'
import { useFoldedFigures, useNestedList, type ListEntry } from './use-nested-list'

const ROW_HEIGHT = 58
const HEADING_HEIGHT = 30

interface ListProps {
  readonly filters: ListFilters
  readonly onFilters: (next: ListFilters) => void
  readonly grouping: Grouping
  readonly onGrouping: (next: Grouping) => void
  /** Whether trivial sub-agent runs are drawn under their parents (nest-rows.ts). */
  readonly showTrivial: boolean
  readonly onShowTrivial: (next: boolean) => void
  /** The parents drawn open, kept with the window's view so a reload finds them open. */
  readonly expanded: readonly string[]
  readonly onExpanded: (next: readonly string[]) => void
  readonly selectedId: string | null
  readonly onSelect: (id: string | null) => void
}

export function ConversationList({
  filters,
  onFilters,
  grouping,
  onGrouping,
  showTrivial,
  onShowTrivial,
  expanded,
  onExpanded,
  selectedId,
  onSelect,
}: ListProps) {
  const store = useChronicleStore()
  const list$ = useMemo(() => conversationList$(filters), [filters])
  const answer = store.useQuery(list$)
  const rows = useMemo(() => parseListRows(answer), [answer])
  const { items, nesting, setOpen, parentOf, family } = useNestedList(rows, {
    grouping,
    showTrivial,
    selectedId,
    expanded,
    onExpanded,
  })
  const actions = useConversationActions()
  const [renamingId, setRenamingId] = useState<string | null>(null)
  const [undo, setUndo] = useState<Undoable | null>(null)
  const scroller = useRef<HTMLDivElement>(null)
  const fling = useFling<HTMLDivElement>()

  // This app does not run the React Compiler, whose memoisation the virtualiser's API would defeat.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    // Stable between renders: a new function would make the virtualiser measure all 10,000 items again on every
    // frame of a scroll.
    estimateSize: useCallback(
      (index: number) => (items[index]?.kind === 'heading' ? HEADING_HEIGHT : ROW_HEIGHT),
      [items],
    ),
    getItemKey: useCallback((index: number) => items[index]?.key ?? index, [items]),
    overscan: 8,
    onChange: fling.onChange,
  })

  const selected: ConversationRowData | undefined = store.useQuery(
    useMemo(() => conversation$(selectedId ?? ''), [selectedId]),
  )
  // The rows in view (and the overscan) in one query, asked once per frame rather than per row, and not at all
  // while the list is flung (its rows are placeholders then).
  const virtualItems = virtualizer.getVirtualItems()
  const flinging = fling.flinging(virtualizer)
  const inViewEntries = virtualItems.flatMap((virtual): ListEntry[] => {
    if (flinging) return []
    const item = items[virtual.index]
    return item?.kind === 'row' ? [item.row] : []
  })
  // Keyed by the ids themselves, so the query changes only when the rows in view do.
  const inViewKey = inViewEntries.map((entry) => entry.id).join('\n')
  const shown = store.useQuery(
    useMemo(() => conversationsById$(inViewKey === '' ? [] : inViewKey.split('\n')), [inViewKey]),
  )
  const shownById = useRowsById(shown)
  const folded = useFoldedFigures(inViewEntries)
  const select = useCallback((id: string | null) => onSelect(id), [onSelect])
  // Read by the toggle when clicked, so the rows' callback stays the same as the selection moves.
  const selectedRef = useRef(selectedId)
  useEffect(() => {
    selectedRef.current = selectedId
  }, [selectedId])
  const toggle = useCallback(
    (id: string, open: boolean) => {
      setOpen(id, open)
      // The open conversation keeps its parents expanded (nest-rows.ts): closing one of them selects it instead.
      let up = selectedRef.current === null ? undefined : parentOf(selectedRef.current)
      // Bounded: bad data can name parents in a cycle.
      for (let hops = 0; !open && up !== undefined && up !== id && hops < 100; hops += 1) up = parentOf(up)
      if (!open && up === id) select(id)
    },
    [setOpen, parentOf, select],
  )
  const renameDone = useCallback(() => {
    setRenamingId(null)
    scroller.current?.focus()
  }, [])
  // A newly selected conversation is brought into view once (it may be drawn only after the list has loaded).
  // Later changes of order leave the scroll alone: rows arriving above the selection must not drag the list down.
  const revealed = useRef<string | null>(null)
  useEffect(() => {
    if (selectedId === null || revealed.current === selectedId) return
    // Looked up here, once per selection, rather than indexing all rows on every change of the list.
    const index = items.findIndex((item) => item.kind === 'row' && item.row.id === selectedId)
    if (index === -1) return
    revealed.current = selectedId
    virtualizer.scrollToIndex(index, { align: 'auto' })
  }, [selectedId, items, virtualizer])

  const move = (step: number) => {
    const rowItems = items.filter((item) => item.kind === 'row')
    if (rowItems.length === 0) return
    const at = rowItems.findIndex((item) => item.kind === 'row' && item.row.id === selectedId)
    const next = rowItems[Math.min(rowItems.length - 1, Math.max(0, at === -1 ? 0 : at + step))]
    if (next?.kind === 'row') select(next.row.id)
  }

  // A row stands for its whole family (family.ts): its sub-agents and sub-tasks move with it.
  const withFamily = (ids: readonly string[]) =>
    ids.length > 1 ? ` with ${ids.length - 1} sub-conversation${ids.length > 2 ? 's' : ''}` : ''
  const remove = (row: ConversationRowData) => {
    const ids = idsToTrash(family, row.id)
    void actions.delete(ids)
    setUndo({
      message: `Moved “${row.title || 'Untitled'}”${withFamily(ids)} to the trash`,
      undo: () => void actions.restore(ids),
    })
  }
  const restore = (row: ConversationRowData) =>
    void actions.restore(idsToRestore(family, row.id, row.deletedAt))
  const archive = (row: ConversationRowData) => {
    const ids = idsToArchive(family, row.id, !row.archived)
    void actions.setArchived(ids, !row.archived)
    setUndo({
      message: row.archived ? 'Unarchived' : `Archived “${row.title || 'Untitled'}”${withFamily(ids)}`,
      undo: () => void actions.setArchived(ids, row.archived),
    })
  }

  // Right opens a parent, Left closes it or goes up to the parent, as in a tree view.
  const openOrClose = (open: boolean): boolean => {
    const entry = items.find((item) => item.kind === 'row' && item.row.id === selectedId)
    if (entry?.kind !== 'row') return false
    if (entry.row.shownChildren > 0 && entry.row.expanded !== open) setOpen(entry.row.id, open)
    else if (!open && entry.row.depth > 0) select(parentOf(entry.row.id) ?? entry.row.id)
    else return false
    return true
  }

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const key = event.key
    if (key === 'ArrowRight' || key === 'ArrowLeft') {
      if (openOrClose(key === 'ArrowRight')) event.preventDefault()
      return
    }
    if (key === 'ArrowDown' || key === 'j') move(1)
    else if (key === 'ArrowUp' || key === 'k') move(-1)
    else if (key === 'PageDown') move(10)
    else if (key === 'PageUp') move(-10)
    else if (key === 'Home') move(-items.length)
    else if (key === 'End') move(items.length)
    else if (!selected) return
    else if (key === 's') void actions.setStarred(selected.id, !selected.starred)
    else if (key === 'e') archive(selected)
    else if (key === 'F2') setRenamingId(selected.id)
    else if ((key === 'Delete' || key === 'Backspace') && selected.deletedAt === null) remove(selected)
    else if (key === 'Delete' || key === 'Backspace') restore(selected)
    else return
    event.preventDefault()
  }

  return (
    <section className="conversation-list" aria-label="Conversations" data-testid="conversation-list">
      <ListToolbar
        filters={filters}
        onFilters={onFilters}
        grouping={grouping}
        onGrouping={onGrouping}
        shown={rows.length}
      />
      <TrivialToggle
        count={nesting.trivialCount}
        hidden={nesting.hiddenTrivial}
        showTrivial={showTrivial}
        onShowTrivial={onShowTrivial}
      />
      {selected && (
        <div className="selection-actions" aria-label="Selected conversation">
          <button type="button" onClick={() => setRenamingId(selected.id)} title="Rename (F2)">
            Rename
          </button>
          <TagEditor row={selected} onTags={(tags) => void actions.setTags(selected.id, tags)} />
          <button type="button" onClick={() => archive(selected)} title="Archive (E)">
            {selected.archived ? 'Unarchive' : 'Archive'}
          </button>
          {selected.deletedAt === null ? (
            <button type="button" onClick={() => remove(selected)} title="Delete (Del)">
              Delete
            </button>
          ) : (
            <button type="button" onClick={() => restore(selected)}>
              Restore
            </button>
          )}
        </div>
      )}
      <div
        ref={scroller}
        className="list-scroller"
        role="listbox"
        tabIndex={0}
        aria-label="Conversations"
        aria-activedescendant={selectedId === null ? undefined : rowElementId(selectedId)}
        onKeyDown={onKeyDown}
        data-testid="list-scroller"
      >
        {rows.length === 0 ? (
          <EmptyList filters={filters} onClear={() => onFilters({ ...NO_FILTERS, sort: filters.sort })} />
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualItems.map((virtual) => {
              const item = items[virtual.index]
              if (!item) return null
              return (
                <div
                  key={virtual.key}
                  className="virtual-item"
                  style={{ transform: `translateY(${virtual.start}px)`, height: virtual.size }}
                >
                  {item.kind === 'heading' ? (
                    <div className="list-heading" role="presentation">
                      {item.label} <span className="muted">{item.count}</span>
                    </div>
                  ) : (
                    <ConversationRow
                      id={item.row.id}
                      row={shownById.get(item.row.id)}
                      depth={item.row.depth}
                      shownChildren={item.row.shownChildren}
                      expanded={item.row.expanded}
                      folded={folded.get(item.row.id)}
                      onToggle={toggle}
                      selected={item.row.id === selectedId}
                      renaming={item.row.id === renamingId}
                      onSelect={select}
                      onRenameDone={renameDone}
                      actions={actions}
                    />
                  )}
                </div>
              )
            })}
          </div>
        )}
      </div>
      {undo && <UndoBar undoable={undo} onClose={() => setUndo(null)} />}
    </section>
  )
}
