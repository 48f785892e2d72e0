/**
 * What a view of the library had seen when its author made an edit: the newest event that the sync backend had
 * confirmed and the view had applied. Two heads bound it. The session's upstream head is the newest event the
 * view has from its leader, which counts the leader's own events still waiting for the backend under provisional
 * numbers; the leader's upstream head is the newest event the backend confirmed, which the session may not have
 * applied yet. The smaller of the two is what the author could have seen.
 */

/** LiveStore writes heads as "e12" or "e12.3" (global, then client-local sequence). */
export const globalSeq = (head: string): number => Number(/^e(\d+)/.exec(head)?.[1] ?? 0)

/** `sessionUpstreamHead` as `store.syncStatus()` gives it; `leaderConfirmed` the leader's upstream head's global. */
export const seenHead = (sessionUpstreamHead: string, leaderConfirmed: number): number =>
  Math.min(globalSeq(sessionUpstreamHead), leaderConfirmed)
