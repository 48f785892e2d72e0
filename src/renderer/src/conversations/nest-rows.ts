/**
 * One row per piece of work: a sub-agent (Claude Code) or sub-task (Roo, Cline) is drawn under the conversation
 * that started it, and only when that row is expanded. Pure, so the nesting is tested without a page.
 *
 * Nesting follows the list as filtered: a child whose parent is not in the list (another shelf, a filter that
 * the parent does not match, a parent never imported) is a row of its own, so a filter still shows every
 * conversation it matches. Children keep the list's order among themselves.
 */

/** A conversation that names a parent, as the store answers it for the whole library. */
export interface SubConversation {
  readonly id: string
  readonly parentId: string
  readonly trivial: boolean
}

/**
 * A sub-agent run that did no work: one prompt and at most one reply, so no tool was called (a call and its
 * result are two more messages). Claude Code starts such "Warmup" agents by the dozen to fill its prompt cache.
 */
export const isTrivialSubConversation = (messageCount: number): boolean => messageCount <= 2

export interface NestOptions {
  /** Parents whose children are drawn. */
  readonly expanded: ReadonlySet<string>
  readonly showTrivial: boolean
  /**
   * The open conversation: drawn even when it is trivial, with its ancestors expanded, so a search hit or a
   * reader link that opens a child finds it in the list.
   */
  readonly revealId: string | null
}

export interface NestInfo {
  readonly depth: number
  /** Every conversation nested under this one, at any depth, hidden trivial ones included: what its row folds in. */
  readonly descendants: readonly string[]
  /** Direct children drawn when expanded. */
  readonly shownChildren: number
  readonly expanded: boolean
}

export type NestedRow<T> = T & NestInfo

export interface Nesting<T> {
  readonly rows: NestedRow<T>[]
  /** Trivial sub-conversations in the list that the toggle hides (none while it shows them). */
  readonly trivialCount: number
  readonly hiddenTrivial: number
}

export function nestRows<T extends { readonly id: string }>(
  rows: readonly T[],
  subs: ReadonlyMap<string, SubConversation>,
  options: NestOptions,
): Nesting<T> {
  const inList = new Set<string>()
  for (const row of rows) inList.add(row.id)
  const parentOf = (id: string): string | undefined => {
    const parentId = subs.get(id)?.parentId
    return parentId !== undefined && parentId !== id && inList.has(parentId) ? parentId : undefined
  }
  const children = new Map<string, T[]>()
  const roots: T[] = []
  for (const row of rows) {
    const parentId = parentOf(row.id)
    if (parentId === undefined || inCycle(row.id, parentOf)) roots.push(row)
    else {
      const siblings = children.get(parentId)
      if (siblings) siblings.push(row)
      else children.set(parentId, [row])
    }
  }
  const isHidden = (id: string) =>
    !options.showTrivial &&
    id !== options.revealId &&
    subs.get(id)?.trivial === true &&
    parentOf(id) !== undefined
  const revealed = ancestorsOf(options.revealId, parentOf)
  let trivialCount = 0
  for (const row of rows)
    if (subs.get(row.id)?.trivial === true && parentOf(row.id) !== undefined) trivialCount += 1

  const out: NestedRow<T>[] = []
  const visit = (row: T, depth: number): string[] => {
    const own = children.get(row.id) ?? []
    const expanded = own.length > 0 && (options.expanded.has(row.id) || revealed.has(row.id))
    const shown = own.filter((child) => !isHidden(child.id))
    const descendants: string[] = []
    out.push({ ...row, depth, descendants, shownChildren: shown.length, expanded })
    for (const child of own) {
      const drawn = expanded && !isHidden(child.id)
      const below = drawn ? visit(child, depth + 1) : collect(child.id, children)
      descendants.push(child.id, ...below)
    }
    return descendants
  }
  for (const root of roots) visit(root, 0)
  return { rows: out, trivialCount, hiddenTrivial: options.showTrivial ? 0 : hiddenCount(rows, isHidden) }
}

const hiddenCount = <T extends { readonly id: string }>(
  rows: readonly T[],
  isHidden: (id: string) => boolean,
) => rows.reduce((n, row) => (isHidden(row.id) ? n + 1 : n), 0)

/** Ids below `id`, for a row that is not drawn (its parent collapsed) but whose figures its ancestor folds in. */
function collect<T extends { readonly id: string }>(
  id: string,
  children: ReadonlyMap<string, T[]>,
): string[] {
  const out: string[] = []
  const stack = [id]
  for (let next = stack.pop(); next !== undefined; next = stack.pop())
    for (const child of children.get(next) ?? []) {
      out.push(child.id)
      stack.push(child.id)
    }
  return out
}

/** A parent chain that comes back to where it started (corrupt or hand-edited data) must not hide its rows. */
function inCycle(id: string, parentOf: (id: string) => string | undefined): boolean {
  const seen = new Set([id])
  for (let next = parentOf(id); next !== undefined; next = parentOf(next)) {
    if (seen.has(next)) return true
    seen.add(next)
  }
  return false
}

function ancestorsOf(id: string | null, parentOf: (id: string) => string | undefined): Set<string> {
  const out = new Set<string>()
  for (
    let next = id === null ? undefined : parentOf(id);
    next !== undefined && !out.has(next);
    next = parentOf(next)
  )
    out.add(next)
  return out
}
