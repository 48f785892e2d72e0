/** The order a merge gives: both sequences' orders survive, and ordinals stay dense. */
import { describe, expect, it } from 'vitest'
import { planMerge, weave } from './merge-order'

const held = (...ids: string[]) => ids.map((id, ordinal) => ({ id, ordinal, leftSourceAt: null }))

describe('weave', () => {
  it('puts what the base lacks after its nearest predecessor, keeping runs together', () => {
    expect(weave(['a', 's', 'e'], ['a', 'b', 'c', 'd', 'e'])).toEqual(['a', 'b', 'c', 'd', 's', 'e'])
    expect(weave(['b', 'c'], ['x', 'y', 'b', 'c', 'z'])).toEqual(['x', 'y', 'b', 'c', 'z'])
    expect(weave(['a', 'b'], ['a', 'b'])).toEqual(['a', 'b'])
    expect(weave([], ['a', 'b'])).toEqual(['a', 'b'])
  })
})

describe('planMerge', () => {
  it('the newest read that grew writes its messages where they are and moves nothing', () => {
    const plan = planMerge(held('a', 'b'), ['a', 'b', 'c'], 0, true)
    expect([...plan.writes]).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 2],
    ])
    expect(plan.reordered.size).toBe(0)
    expect(plan.gone).toEqual([])
  })

  it('the newest read that lost messages keeps them, marks them and frees the ordinals that change', () => {
    const plan = planMerge(held('a', 'b', 'c', 'd'), ['a', 's', 'd'], 0, true)
    expect(plan.gone).toEqual(['b', 'c'])
    expect([...plan.moves]).toEqual([]) // b and c stay at 1 and 2
    expect([...plan.writes]).toEqual([
      ['a', 0],
      ['s', 3],
      ['d', 4],
    ])
    expect([...plan.reordered]).toEqual([['d', 4]])
  })

  it('an older read only writes what is new, and a held message marked gone stays marked', () => {
    const plan = planMerge(
      [...held('a', 'b'), { id: 'c', ordinal: 2, leftSourceAt: 5 }],
      ['a', 'x', 'b', 'c'],
      0,
      false,
    )
    expect([...plan.writes]).toEqual([['x', 1]])
    expect([...plan.moves]).toEqual([
      ['b', 2],
      ['c', 3],
    ])
    expect(plan.gone).toEqual([])
  })

  it('a read that went on from a checkpoint leaves the messages before it alone', () => {
    const plan = planMerge(held('a', 'b', 'c'), ['c', 'd'], 2, true)
    expect([...plan.writes]).toEqual([
      ['c', 2],
      ['d', 3],
    ])
    expect(plan.gone).toEqual([])
  })
})
