/**
 * The rows in view by id, each kept as the object the list had before when its values did not change. The store
 * answers every query anew after any write to its table, so without this a write to one conversation would hand
 * every row in view a new object and re-render all of them (ConversationRow is memoised on its props).
 */
import { useMemo, useState } from 'react'

export function useRowsById<T extends { readonly id: string }>(rows: readonly T[]): ReadonlyMap<string, T> {
  const [last] = useState(() => ({ byId: new Map<string, T>() as ReadonlyMap<string, T> }))
  // A cache, mutable on purpose: a render React throws away leaves in it only rows equal in value to those it
  // replaced, and setting state instead would render the whole list twice per write.
  // eslint-disable-next-line react-hooks/immutability
  return useMemo(() => (last.byId = keepUnchanged(last.byId, rows)), [last, rows])
}

/** `rows` by id, reusing `previous`'s object for each row whose values are all the same. */
export function keepUnchanged<T extends { readonly id: string }>(
  previous: ReadonlyMap<string, T>,
  rows: readonly T[],
): Map<string, T> {
  const byId = new Map<string, T>()
  for (const row of rows) {
    const before = previous.get(row.id)
    byId.set(row.id, before !== undefined && sameValues(before, row) ? before : row)
  }
  return byId
}

/** Equal column by column; a JSON column (a conversation's tags) is an array of plain values. */
function sameValues(a: object, b: object): boolean {
  const left = a as Record<string, unknown>
  const right = b as Record<string, unknown>
  const keys = Object.keys(left)
  if (keys.length !== Object.keys(right).length) return false
  return keys.every((key) => {
    const x = left[key]
    const y = right[key]
    if (Object.is(x, y)) return true
    return (
      Array.isArray(x) &&
      Array.isArray(y) &&
      x.length === y.length &&
      x.every((value, i) => Object.is(value, y[i]))
    )
  })
}
