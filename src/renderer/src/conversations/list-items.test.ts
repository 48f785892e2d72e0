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

  it('keeps a day of 23 hours (the change to summer time) under one heading, and the next day under its own', () => {
    const zone = process.env.TZ
    process.env.TZ = 'Europe/Paris'
    try {
      const at = (iso: string) => ({ id: iso, workspace: null, lastActivityAt: new Date(iso).getTime() })
      // 29 March 2026 in Paris runs from 00:00 (+01:00) to 24:00 (+02:00): 23 hours.
      const items = listItems(
        [at('2026-03-30T00:10:00+02:00'), at('2026-03-29T23:50:00+02:00'), at('2026-03-29T00:10:00+01:00')],
        'day',
      )
      expect(shape(items)).toEqual([
        '# 1',
        '2026-03-30T00:10:00+02:00',
        '# 2',
        '2026-03-29T23:50:00+02:00',
        '2026-03-29T00:10:00+01:00',
      ])
    } finally {
      process.env.TZ = zone
    }
  })
})
