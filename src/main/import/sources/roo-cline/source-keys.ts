/**
 * Keys that name a message of a task in every later read of its growing files (see keyedMessageIdentity). Roo and
 * Cline stamp each UI row, and Roo each API item, with `ts` (epoch ms) when it is written; rows are appended, and a
 * condensation removes API items without renumbering the rest, so the time names a row where its position would
 * not. Rows written in the same millisecond get a count; an element without a time falls back to its position.
 */

export type KeyOf = (ts: unknown, index: number) => string

export function keysFor(prefix: string): KeyOf {
  // Times mostly grow row by row: a later time is new for sure, and only an earlier or equal one needs counting.
  const seen: number[] = []
  let latest = -Infinity
  let counts: Map<number, number> | undefined
  return (ts, index) => {
    if (typeof ts !== 'number' || !Number.isFinite(ts)) return `${prefix}-at-${index}`
    if (counts === undefined && ts > latest) {
      latest = ts
      seen.push(ts)
      return `${prefix}-${ts}`
    }
    counts ??= new Map(seen.map((t) => [t, 1]))
    const count = counts.get(ts) ?? 0
    counts.set(ts, count + 1)
    return count === 0 ? `${prefix}-${ts}` : `${prefix}-${ts}.${count}`
  }
}

/** The key of the n-th message one element yields: the element's own key first, then numbered. */
export const partKey = (key: string, n: number): string => (n === 0 ? key : `${key}-${n}`)
