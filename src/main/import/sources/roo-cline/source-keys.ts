/**
 * Keys that name a message of a task in every later read of its growing files (see keyedMessageIdentity). Roo and
 * Cline stamp each UI row, and Roo each API item, with `ts` (epoch ms) when it is written; rows are appended, and a
 * condensation removes API items without renumbering the rest, so the time names a row where its position would
 * not. Rows written in the same millisecond get a count; an element without a time falls back to its position.
 */

export type KeyOf = (ts: unknown, index: number) => string

export function keysFor(prefix: string): KeyOf {
  const seen = new Map<number, number>()
  return (ts, index) => {
    if (typeof ts !== 'number' || !Number.isFinite(ts)) return `${prefix}-at-${index}`
    const count = seen.get(ts) ?? 0
    seen.set(ts, count + 1)
    return count === 0 ? `${prefix}-${ts}` : `${prefix}-${ts}.${count}`
  }
}

/** The key of the n-th message one element yields: the element's own key first, then numbered. */
export const partKey = (key: string, n: number): string => (n === 0 ? key : `${key}-${n}`)
