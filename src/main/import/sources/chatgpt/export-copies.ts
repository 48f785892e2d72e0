/**
 * One conversation as three exports carry it, for the tests: the newest export, an earlier one (two turns fewer,
 * as an export made before them is), and a fragment (another export holding part of it under another title).
 */
import type { JsonRecord } from '../roo-cline/json-values'
import { linearConversation, type TestNode } from './test-exports'

export const CONVERSATION = 'shared-conversation'
export const NEWER_TITLE = 'Planning the trip'
const START = 1_700_000_000

/** Keeps the nodes `keep` names and the root, with the links between them; `current_node` is the last kept. */
function subset(turns: number, keep: (i: number) => boolean): Record<string, TestNode> {
  const full = linearConversation(CONVERSATION, turns).mapping
  const mapping: Record<string, TestNode> = {}
  for (const [id, node] of Object.entries(full)) {
    const i = id === 'root' ? -1 : Number(id.slice(1))
    if (i >= 0 && !keep(i)) continue
    const inside = (other: string) => other === 'root' || keep(Number(other.slice(1)))
    mapping[id] = {
      ...node,
      parent: node.parent !== null && inside(node.parent) ? node.parent : i >= 0 ? 'root' : null,
      children: node.children.filter(inside),
    }
  }
  return mapping
}

/** An export of the conversation; `update_time` is left out when `withUpdateTime` is false. */
const copy =
  (title: string, turns: number, keep: (i: number) => boolean) =>
  (withUpdateTime = true): JsonRecord => {
    const mapping = subset(turns, keep)
    const last = Math.max(...Object.keys(mapping).map((id) => (id === 'root' ? -1 : Number(id.slice(1)))))
    return {
      id: CONVERSATION,
      title,
      create_time: START,
      ...(withUpdateTime && { update_time: START + last + 0.5 }),
      mapping,
      current_node: `n${last}`,
    }
  }

/** Eight turns (n0 … n15). */
export const newerExport = copy(NEWER_TITLE, 8, () => true)
/** The same conversation two turns earlier (n0 … n11). */
export const olderExport = copy('Trip', 6, () => true)
/** Part of it (n4 … n7) under another title, as another export may carry it. */
export const fragmentExport = copy('Fragment', 8, (i) => i >= 4 && i <= 7)
