/**
 * ChatGPT keeps every edit and regeneration: `mapping` is a tree of nodes, and what the user last saw is the path
 * from `current_node` up to the root, reversed. The rest are branches; they are counted and listed so that an
 * import never hides that they exist. Exports are not always well formed: parent links can point at missing nodes
 * or loop, so the walk stops at either and says so.
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

/** When current_node is missing, the leaf whose message is newest is the best guess at what the user last saw. */
function newestLeaf(mapping: JsonRecord): string | undefined {
  let best: { id: string; time: number } | undefined
  for (const [id, node] of Object.entries(mapping)) {
    const children = isRecord(node) && Array.isArray(node.children) ? node.children : []
    if (children.length > 0) continue
    const time = messageOf(node)?.create_time
    const t = typeof time === 'number' ? time : -Infinity
    if (!best || t >= best.time) best = { id, time: t }
  }
  return best?.id
}

export function activeThread(mapping: JsonRecord, currentNode: unknown): ActiveThread {
  const problems: string[] = []
  let id = asString(currentNode)
  if (id === undefined || !isRecord(mapping[id])) {
    if (id !== undefined) problems.push(`current_node ${id} is not in the mapping`)
    id = newestLeaf(mapping)
  }
  const path: ThreadNode[] = []
  const onPath = new Set<string>()
  while (id !== undefined) {
    if (onPath.has(id)) {
      problems.push(`parent links loop at node ${id}`)
      break
    }
    const node = mapping[id]
    if (!isRecord(node)) {
      problems.push(`node ${id} is missing from the mapping`)
      break
    }
    onPath.add(id)
    path.push({ id, message: messageOf(node) })
    id = asString(node.parent) ?? undefined
  }
  path.reverse()

  const offThreadNodeIds: string[] = []
  let offThreadNodes = 0
  let offThreadMessages = 0
  let forks = 0
  for (const [nodeId, node] of Object.entries(mapping)) {
    if (isRecord(node) && Array.isArray(node.children) && node.children.length > 1) forks++
    if (onPath.has(nodeId)) continue
    offThreadNodes++
    if (messageOf(node)) offThreadMessages++
    if (offThreadNodeIds.length < MAX_LISTED_IDS) offThreadNodeIds.push(nodeId)
  }
  return { nodes: path, branches: { offThreadNodes, offThreadMessages, offThreadNodeIds, forks }, problems }
}
