import { describe, expect, it } from 'vitest'
import { keepUnchanged } from './rows-by-id'

const row = (id: string, title: string, tags: string[] = []) => ({ id, title, starred: false, tags })

describe('keepUnchanged', () => {
  it('keeps the earlier object of every row whose values are the same, tags included', () => {
    const before = [row('a', 'First', ['x']), row('b', 'Second')]
    const previous = keepUnchanged(new Map(), before)
    const after = keepUnchanged(previous, [row('a', 'First', ['x']), row('b', 'Second')])
    expect(after.get('a')).toBe(before[0])
    expect(after.get('b')).toBe(before[1])
  })

  it('hands on the new object of a row that changed, and only that one', () => {
    const previous = keepUnchanged(new Map(), [row('a', 'First'), row('b', 'Second', ['x'])])
    const renamed = row('a', 'Renamed')
    const retagged = row('b', 'Second', ['x', 'y'])
    const after = keepUnchanged(previous, [renamed, retagged, row('c', 'New')])
    expect(after.get('a')).toBe(renamed)
    expect(after.get('b')).toBe(retagged)
    expect([...after.keys()]).toEqual(['a', 'b', 'c'])
  })

  it('drops the rows that left the answer', () => {
    const previous = keepUnchanged(new Map(), [row('a', 'First'), row('b', 'Second')])
    expect([...keepUnchanged(previous, [row('b', 'Second')]).keys()]).toEqual(['b'])
  })

  it('tells a column that appeared from one that stayed empty', () => {
    const previous = keepUnchanged(new Map(), [{ id: 'a', title: 'First' }])
    const wider = { id: 'a', title: 'First', model: undefined }
    expect(keepUnchanged(previous, [wider]).get('a')).toBe(wider)
  })
})
