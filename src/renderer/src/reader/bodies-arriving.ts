/**
 * Messages that arrived from another machine as a preview, their bodies on the way (src/main/bodies/): which
 * stretch of the loaded messages to ask for again, and those messages swapped for their whole versions. Nothing
 * tells the page when a body is written, so the reader asks again while any loaded message waits for one.
 */
import type { Message } from '../../../shared/domain'

/** How long the reader waits between asking again. */
export const BODIES_ASK_AGAIN_MS = 2_000

/** The loaded messages from the first waiting for its body to the last: asked for again as one stretch. */
export interface WaitingSpan {
  /** The ordinal just before the first waiting message (the API reads after it). */
  readonly afterOrdinal: number
  /** The ordinal of the last waiting message: asking stops once it is in. */
  readonly throughOrdinal: number
  /** How many loaded messages the stretch holds. */
  readonly count: number
}

export function waitingSpan(messages: readonly Message[]): WaitingSpan | null {
  const first = messages.findIndex((m) => m.bodyElsewhere)
  if (first < 0) return null
  const last = messages.findLastIndex((m) => m.bodyElsewhere)
  return {
    afterOrdinal: messages[first]!.ordinal - 1,
    throughOrdinal: messages[last]!.ordinal,
    count: last - first + 1,
  }
}

/**
 * The loaded messages with those whose bodies arrived swapped for their whole versions. A body never goes back to
 * elsewhere, so only waiting messages are swapped; with none arrived, the same array, so nothing redraws.
 */
export function withArrivedBodies(
  messages: readonly Message[],
  fresh: readonly Message[],
): readonly Message[] {
  const arrived = new Map(fresh.filter((m) => !m.bodyElsewhere).map((m) => [m.id, m]))
  let changed = false
  const next = messages.map((message) => {
    const whole = message.bodyElsewhere ? arrived.get(message.id) : undefined
    if (!whole) return message
    changed = true
    return whole
  })
  return changed ? next : messages
}
