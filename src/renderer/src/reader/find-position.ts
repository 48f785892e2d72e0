/**
 * Occurrences numbered across a whole conversation: the main side lists matching messages with how many
 * occurrences each holds, and the find moves over that list one occurrence at a time.
 */
import type { ConversationFind } from '../../../shared/api/contract'

/** The occurrence to show: its message, and which of the message's occurrences it is. */
export interface FindTarget {
  readonly messageId: string
  readonly ordinal: number
  readonly occurrence: number
}

/** The occurrence at a position across the list (a linear walk: the list holds at most a few thousand). */
export function targetAt(find: ConversationFind, position: number): FindTarget | null {
  let before = 0
  for (const match of find.matches) {
    if (position < before + match.count)
      return { messageId: match.messageId, ordinal: match.ordinal, occurrence: position - before }
    before += match.count
  }
  return null
}

/** The first occurrence at or after an ordinal (wrapping to the first), so a find starts where the reader is. */
export function firstFrom(find: ConversationFind, ordinal: number): number {
  let before = 0
  for (const match of find.matches) {
    if (match.ordinal >= ordinal) return before
    before += match.count
  }
  return 0
}

/** Where an occurrence shown before is in a new answer (its message may hold fewer now); -1 when gone. */
export function positionOf(find: ConversationFind, target: FindTarget): number {
  let before = 0
  for (const match of find.matches) {
    if (match.messageId === target.messageId) return before + Math.min(target.occurrence, match.count - 1)
    before += match.count
  }
  return -1
}

/** The next or previous occurrence, past the last back to the first and the other way. */
export const stepped = (position: number, direction: 1 | -1, total: number): number =>
  (position + direction + total) % total
