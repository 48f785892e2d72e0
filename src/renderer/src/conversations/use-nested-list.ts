/**
 * The list's rows with sub-agents and sub-tasks nested under their parents (nest-rows.ts): which parents are
 * expanded (this window's, kept with its library view so a reload finds them open), and the figures a collapsed
 * parent's row folds in, read only for the parents in view.
 */
import { useCallback, useMemo } from 'react'
import { useChronicleStore } from '../livestore/chronicle-store'
import { foldedFigures$, parseSubConversations, subConversations$, type ListRow } from './conversation-query'
import { listItems, type Grouping, type ListItem } from './list-items'
import { familyIndex } from './family'
import { isTrivialSubConversation, nestRows, type NestedRow, type SubConversation } from './nest-rows'

export type ListEntry = NestedRow<ListRow>

/** The figures of everything nested under a parent, which its row adds to its own. */
export interface FoldedFigures {
  readonly cost: number
  readonly unpriced: number
  readonly tokensIn: number
  readonly tokensOut: number
  readonly cacheReads: number
  readonly cacheWrites: number
}

export interface NestedListView {
  readonly grouping: Grouping
  readonly showTrivial: boolean
  readonly selectedId: string | null
  readonly expanded: readonly string[]
  readonly onExpanded: (next: readonly string[]) => void
}

/** How many open parents the view keeps: the oldest opened are forgotten first. */
const REMEMBERED_OPEN = 200

export function useNestedList(rows: readonly ListRow[], view: NestedListView) {
  const { grouping, showTrivial, selectedId, onExpanded } = view
  const store = useChronicleStore()
  const subAnswer = store.useQuery(subConversations$)
  const members = useMemo(() => parseSubConversations(subAnswer), [subAnswer])
  const subs = useMemo(
    () =>
      new Map<string, SubConversation>(
        members.map((s) => [
          s.id,
          { id: s.id, parentId: s.parentId, trivial: isTrivialSubConversation(s.messageCount) },
        ]),
      ),
    [members],
  )
  const family = useMemo(() => familyIndex(members), [members])
  const expanded = useMemo(() => new Set(view.expanded), [view.expanded])
  const nesting = useMemo(
    () => nestRows(rows, subs, { expanded, showTrivial, revealId: selectedId }),
    [rows, subs, expanded, showTrivial, selectedId],
  )
  const items: ListItem<ListEntry>[] = useMemo(() => listItems(nesting.rows, grouping), [nesting, grouping])
  const setOpen = useCallback(
    (id: string, open: boolean) => {
      if (expanded.has(id) === open) return
      const others = [...expanded].filter((other) => other !== id)
      onExpanded(open ? [...others, id].slice(-REMEMBERED_OPEN) : others)
    },
    [expanded, onExpanded],
  )
  const parentOf = useCallback((id: string) => subs.get(id)?.parentId, [subs])
  return { items, nesting, setOpen, parentOf, family }
}

/** The folded figures of the parents among the rows in view, keyed by parent id. */
export function useFoldedFigures(inView: readonly ListEntry[]): ReadonlyMap<string, FoldedFigures> {
  const store = useChronicleStore()
  // The parents in view and what each folds in, as one text: a scroll that keeps the same parents in view keeps
  // the same query and the same sums (each row's figures stay the same object, and its memo holds).
  const families = inView
    .filter((entry) => entry.descendants.length > 0)
    .map((entry) => `${entry.id}\t${entry.descendants.join('\t')}`)
    .join('\n')
  const answer = store.useQuery(useMemo(() => foldedFigures$(descendantsIn(families)), [families]))
  return useMemo(() => foldFigures(families, answer), [families, answer])
}

const descendantsIn = (families: string): string[] =>
  families === '' ? [] : families.split('\n').flatMap((family) => family.split('\t').slice(1))

type Figures = FoldedFigures & { readonly id: string }

const NO_FIGURES: FoldedFigures = {
  cost: 0,
  unpriced: 0,
  tokensIn: 0,
  tokensOut: 0,
  cacheReads: 0,
  cacheWrites: 0,
}

/** Two conversations' cost and tokens as one: a parent's row shows its own with all it started. */
export const addFigures = (a: FoldedFigures, b: FoldedFigures): FoldedFigures => ({
  cost: a.cost + b.cost,
  unpriced: a.unpriced + b.unpriced,
  tokensIn: a.tokensIn + b.tokensIn,
  tokensOut: a.tokensOut + b.tokensOut,
  cacheReads: a.cacheReads + b.cacheReads,
  cacheWrites: a.cacheWrites + b.cacheWrites,
})

function foldFigures(families: string, answer: readonly Figures[]): Map<string, FoldedFigures> {
  const byId = new Map(answer.map((row) => [row.id, row]))
  const out = new Map<string, FoldedFigures>()
  if (families === '') return out
  for (const family of families.split('\n')) {
    const [parentId = '', ...descendants] = family.split('\t')
    let sum = NO_FIGURES
    for (const id of descendants) {
      const row = byId.get(id)
      if (row) sum = addFigures(sum, row)
    }
    out.set(parentId, sum)
  }
  return out
}
