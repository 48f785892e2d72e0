/**
 * ChatGPT keeps every edit and regeneration: `mapping` is a tree of nodes, and what the user last saw is the path
 * from `current_node` up to the root, reversed. The rest are branches; they are counted and listed so that an
 * import never hides that they exist.
 *
 * Exports are not always well formed, and a thread is recovered as far as the data allows, each repair said in
 * `problems`:
 * - a `current_node` that is absent or not in the mapping: the thread ends at the newest leaf (the node with the
 *   newest create_time among those with no child in the mapping), the best guess at what the user last saw;
 * - a parent link that loops back onto the path or names a missing node: the tree records each link twice (a
 *   node's `parent`, and its parent's `children`), so the walk goes on from the node that lists the stuck one
 *   among its children;
 * - when neither link leads on, the walk never reached the root: the messages off the path that were written
 *   before its first one are put in front of it in create_time order (they may include a branch the user left,
 *   which is better than hiding the start of the conversation).
 */
import { asString, isRecord, type JsonRecord } from '../roo-cline/json-values'

/** Beyond this, only the count of off-thread nodes is kept: a heavily regenerated chat has thousands. */
const MAX_LISTED_IDS = 500

export interface ThreadNode {
  readonly id: string
  readonly message: JsonRecord | null
}

export interface ActiveThread {
  /** Root first, current node last. */
  readonly nodes: readonly ThreadNode[]
  readonly branches: {
    readonly offThreadNodes: number
    readonly offThreadMessages: number
    readonly offThreadNodeIds: readonly string[]
    /** Nodes with more than one child: each is an edit or a regeneration. */
    readonly forks: number
  }
  readonly problems: readonly string[]
}

const messageOf = (node: unknown): JsonRecord | null =>
  isRecord(node) && isRecord(node.message) ? node.message : null

const messageTime = (message: JsonRecord | null): number | undefined => {
  const time = message?.create_time
  return typeof time === 'number' && Number.isFinite(time) ? time : undefined
}
const timeOf = (node: unknown): number | undefined => messageTime(messageOf(node))

/** Own members only: a node id such as `__proto__` or `constructor` must not reach Object.prototype. */
const nodeAt = (mapping: JsonRecord, id: string): JsonRecord | undefined => {
  const node = Object.hasOwn(mapping, id) ? mapping[id] : undefined
  return isRecord(node) ? node : undefined
}

const childrenOf = (node: unknown): unknown[] =>
  isRecord(node) && Array.isArray(node.children) ? node.children : []

/** The leaf (no child in the mapping) whose message is newest; leaves without a time only when no leaf has one. */
function newestLeaf(mapping: JsonRecord): string | undefined {
  let best: { id: string; time: number } | undefined
  for (const [id, node] of Object.entries(mapping)) {
    if (!isRecord(node)) continue
    if (childrenOf(node).some((child) => typeof child === 'string' && nodeAt(mapping, child))) continue
    const time = timeOf(node) ?? -Infinity
    if (!best || time >= best.time) best = { id, time }
  }
  return best?.id
}

/** Who lists each node among its children: built once, and only for a mapping whose parent links broke. */
function listers(mapping: JsonRecord): Map<string, string[]> {
  const index = new Map<string, string[]>()
  for (const [nodeId, node] of Object.entries(mapping))
    for (const child of childrenOf(node)) {
      if (typeof child !== 'string') continue
      const known = index.get(child)
      if (known) known.push(nodeId)
      else index.set(child, [nodeId])
    }
  return index
}

/** The messages off the path written before its first timed one, oldest first. */
function earlierMessages(mapping: JsonRecord, path: readonly ThreadNode[], onPath: ReadonlySet<string>) {
  let start = Infinity
  for (const node of path) start = Math.min(start, messageTime(node.message) ?? Infinity)
  if (start === Infinity) return []
  const earlier: { node: ThreadNode; time: number }[] = []
  for (const [id, node] of Object.entries(mapping)) {
    const time = timeOf(node)
    if (onPath.has(id) || time === undefined || time >= start) continue
    earlier.push({ node: { id, message: messageOf(node) }, time })
  }
  return earlier.sort((a, b) => a.time - b.time).map((e) => e.node)
}

export function activeThread(mapping: JsonRecord, currentNode: unknown): ActiveThread {
  const problems: string[] = []
  let id = asString(currentNode)
  if (id === undefined || !nodeAt(mapping, id)) {
    const leaf = newestLeaf(mapping)
    const what = id === undefined ? 'has no current_node' : `current_node ${id} is not in the mapping`
    problems.push(
      `${what}: the thread ends at the newest leaf${leaf === undefined ? ' (there is none)' : `, ${leaf}`}`,
    )
    id = leaf
  }
  const path: ThreadNode[] = []
  const onPath = new Set<string>()
  let reachedRoot = true
  let listedBy: Map<string, string[]> | undefined
  while (id !== undefined) {
    const node = nodeAt(mapping, id) as JsonRecord
    onPath.add(id)
    path.push({ id, message: messageOf(node) })
    const parent = asString(node.parent)
    if (parent === undefined) break
    if (!onPath.has(parent) && nodeAt(mapping, parent)) {
      id = parent
      continue
    }
    const broken = onPath.has(parent)
      ? `parent links loop at node ${parent}`
      : `node ${parent} is missing from the mapping`
    listedBy ??= listers(mapping)
    const lister = listedBy.get(id)?.find((nodeId) => !onPath.has(nodeId) && nodeAt(mapping, nodeId))
    if (lister !== undefined)
      problems.push(`${broken}: went on from ${lister}, which lists ${id} among its children`)
    else {
      problems.push(broken)
      reachedRoot = false
    }
    id = lister
  }
  path.reverse()
  const earlier = reachedRoot ? [] : earlierMessages(mapping, path, onPath)
  if (earlier.length > 0) {
    for (const node of earlier) onPath.add(node.id)
    problems.push(
      earlier.length === 1
        ? '1 earlier message off the thread was put before it by create_time'
        : `${earlier.length} earlier messages off the thread were put before it by create_time`,
    )
  }

  const offThreadNodeIds: string[] = []
  let offThreadNodes = 0
  let offThreadMessages = 0
  let forks = 0
  for (const [nodeId, node] of Object.entries(mapping)) {
    if (childrenOf(node).length > 1) forks++
    if (onPath.has(nodeId)) continue
    offThreadNodes++
    if (messageOf(node)) offThreadMessages++
    if (offThreadNodeIds.length < MAX_LISTED_IDS) offThreadNodeIds.push(nodeId)
  }
  return {
    nodes: [...earlier, ...path],
    branches: { offThreadNodes, offThreadMessages, offThreadNodeIds, forks },
    problems,
  }
}
