import type { SearchHit } from '../../../shared/domain'

/** One conversation's hits in a search answer: the best one shown, the others behind "N more". */
export interface HitGroup {
  readonly conversationId: string
  readonly best: SearchHit
  readonly more: readonly SearchHit[]
}

/**
 * Groups an answer's hits by conversation, in the order of each conversation's best hit. The answer comes ranked
 * (title hits first, then messages best first), so a conversation's first hit is its best and the groups keep the
 * ranking; the others keep their order under it.
 */
export function groupHits(hits: readonly SearchHit[]): HitGroup[] {
  const groups = new Map<string, { best: SearchHit; more: SearchHit[] }>()
  for (const hit of hits) {
    const group = groups.get(hit.conversationId)
    if (group) group.more.push(hit)
    else groups.set(hit.conversationId, { best: hit, more: [] })
  }
  return [...groups].map(([conversationId, g]) => ({ conversationId, ...g }))
}
