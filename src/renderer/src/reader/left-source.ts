/**
 * Messages that their source no longer holds (a Roo task condensed, a session trimmed, an older export imported)
 * stay in Chronicle with the time an import found them gone. The reader shows them in place, and marks a run of
 * them once: the first message of a run carries the visible mark, the ones after it only the run's quiet rule (a
 * condensed task can leave dozens in a row, and the same line on each would drown the conversation).
 *
 * A run is consecutive messages gone from the source on the same day: two condensations on two days are two runs,
 * each with its own date.
 */
import type { EpochMs, Message } from '../../../shared/domain'

export interface LeftSourceMark {
  /** When the first message of the run was found gone. */
  readonly at: EpochMs
  /** The run's first message: the one that shows the mark; the others show only the rule. */
  readonly first: boolean
}

/**
 * Each message's mark, by index: null for a message its source still holds. `dayOf` names the calendar day of a
 * time (the reader's own time zone, as the dates it shows are).
 */
export function leftSourceMarks(
  messages: readonly Pick<Message, 'leftSourceAt'>[],
  dayOf: (at: EpochMs) => string,
): readonly (LeftSourceMark | null)[] {
  const marks: (LeftSourceMark | null)[] = []
  let run: { at: EpochMs; day: string } | null = null
  for (const message of messages) {
    const at = message.leftSourceAt
    if (at === null) {
      run = null
      marks.push(null)
      continue
    }
    const day = dayOf(at)
    if (run === null || run.day !== day) {
      run = { at, day }
      marks.push({ at, first: true })
    } else marks.push({ at: run.at, first: false })
  }
  return marks
}

/** The mark's words, which say what is true without alarm: where the message is no longer, and since when. */
export const leftSourceText = (sourceName: string, since: string): string =>
  `No longer in ${sourceName} since ${since}`

/** What the mark's tooltip and its accessible description explain. */
export const leftSourceExplanation = (sourceName: string): string =>
  `Chronicle keeps every message it imported. ${sourceName}'s own files no longer hold this one: the task was ` +
  `condensed, the session trimmed, or an older export was imported.`
