/**
 * Where each message of a conversation goes when a read is merged into what the repository holds. Pure: the
 * writes are in conversation-merge.ts.
 *
 * Two sequences meet: the messages the repository holds (in ordinal order) and the read's (in the source's order).
 * One of them is the base, and the other's messages that the base lacks are woven in right after the message
 * that preceded them in their own sequence, so both orders survive:
 * - a read that is the newest data of its conversation is the base: messages it no longer has stay after the ones
 *   they followed (and are marked gone from their source);
 * - an older read is woven into what is held: it may only add the messages the repository lacks.
 * Ordinals are then dense again. For a read that went on from a checkpoint, the messages before its first ordinal
 * were not read and keep their places.
 */

export interface HeldMessage {
  readonly id: string
  readonly ordinal: number
  readonly leftSourceAt: number | null
}

export interface MergePlan {
  /** Ids of the read's messages to write, with the ordinal each must have. */
  readonly writes: ReadonlyMap<string, number>
  /** Held messages the read does not write whose ordinal changes. */
  readonly moves: ReadonlyMap<string, number>
  /** Held messages that change ordinal at all (written or moved): the UNIQUE (conversation, ordinal) pairs to free. */
  readonly reordered: ReadonlyMap<string, number>
  /** Held messages this read finds gone from their source for the first time. */
  readonly gone: readonly string[]
}

const START = Symbol('start')

/** `base` with every item of `other` that base lacks, each after its nearest predecessor (in `other`) in base. */
export function weave(base: readonly string[], other: readonly string[]): string[] {
  const inBase = new Set(base)
  const after = new Map<string | typeof START, string[]>()
  let anchor: string | typeof START = START
  for (const id of other) {
    if (inBase.has(id)) anchor = id
    else {
      const list = after.get(anchor)
      if (list) list.push(id)
      else after.set(anchor, [id])
    }
  }
  if (after.size === 0) return [...base]
  const woven = [...(after.get(START) ?? [])]
  for (const id of base) woven.push(id, ...(after.get(id) ?? []))
  return woven
}

export function planMerge(
  held: readonly HeldMessage[],
  readIds: readonly string[],
  firstOrdinal: number,
  newest: boolean,
): MergePlan {
  const heldById = new Map(held.map((m) => [m.id, m]))
  const tail = held.filter((m) => m.ordinal >= firstOrdinal).sort((a, b) => a.ordinal - b.ordinal)
  const tailIds = tail.map((m) => m.id)
  const order = newest ? weave(readIds, tailIds) : weave(tailIds, readIds)
  const read = new Set(readIds)
  const writes = new Map<string, number>()
  const moves = new Map<string, number>()
  const reordered = new Map<string, number>()
  order.forEach((id, i) => {
    const ordinal = firstOrdinal + i
    const before = heldById.get(id)
    // An older read writes only what the repository lacks; the newest writes all it has.
    if (read.has(id) && (newest || !before)) writes.set(id, ordinal)
    else if (before && before.ordinal !== ordinal) moves.set(id, ordinal)
    if (before && before.ordinal !== ordinal) reordered.set(id, ordinal)
  })
  const gone = newest ? tail.filter((m) => !read.has(m.id) && m.leftSourceAt === null).map((m) => m.id) : []
  return { writes, moves, reordered, gone }
}
