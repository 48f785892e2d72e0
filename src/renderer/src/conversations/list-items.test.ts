import { describe, expect, it } from 'vitest'
import { listItems } from './list-items'

const DAY = 86_400_000
const noon = new Date(2026, 10, 20, 12).getTime()
const row = (id: string, dayOffset: number, workspace: string | null = null) => ({
  id,
  workspace,
  lastActivityAt: noon - dayOffset * DAY,
})

const shape = (items: ReturnType<typeof listItems>) =>
  items.map((item) => (item.kind === 'heading' ? `# ${item.count}` : item.row.id))

describe('listItems', () => {
  it('puts a heading before each run of one day, with its size', () => {
    const items = listItems([row('a', 0), row('b', 0), row('c', 1), row('d', 3)], 'day')
    expect(shape(items)).toEqual(['# 2', 'a', 'b', '# 1', 'c', '# 1', 'd'])
  })

  it('gives a day that comes back in another sort order a run of its own', () => {
    const items = listItems([row('a', 0), row('b', 1), row('c', 0)], 'day')
    expect(shape(items)).toEqual(['# 1', 'a', '# 1', 'b', '# 1', 'c'])
    expect(new Set(items.map((item) => item.key)).size).toBe(items.length)
  })

  it('gathers each workspace under one heading, keeping the sort within', () => {
    const items = listItems(
      [row('a', 0, '/w1'), row('b', 0, '/w2'), row('c', 1, '/w1'), row('d', 1)],
      'workspace',
    )
    expect(shape(items)).toEqual(['# 2', 'a', 'c', '# 1', 'b', '# 1', 'd'])
    expect(
      items.filter((item) => item.kind === 'heading').map((item) => item.kind === 'heading' && item.label),
    ).toEqual(['/w1', '/w2', 'No workspace'])
  })

  it('adds no headings without grouping', () => {
    expect(shape(listItems([row('a', 0), row('b', 5)], 'none'))).toEqual(['a', 'b'])
  })
})
