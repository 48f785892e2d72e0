import { describe, expect, it } from 'vitest'
import { listItems } from './list-items'
import { isTrivialSubConversation, nestRows, type NestOptions, type SubConversation } from './nest-rows'

const DAY = 86_400_000
const noon = new Date(2026, 10, 20, 12).getTime()
const row = (id: string, dayOffset = 0, workspace: string | null = null) => ({
  id,
  workspace,
  lastActivityAt: noon - dayOffset * DAY,
})
const sub = (id: string, parentId: string, trivial = false): [string, SubConversation] => [
  id,
  { id, parentId, trivial },
]
const closed: NestOptions = { expanded: new Set(), showTrivial: false, revealId: null }
const open = (...ids: string[]): NestOptions => ({ ...closed, expanded: new Set(ids) })
const ids = (nesting: ReturnType<typeof nestRows>) =>
  nesting.rows.map((r) => `${'  '.repeat(r.depth)}${r.id}`)

// A Claude Code session with two sub-agents, one of them a Warmup, and a Roo task with a sub-task of its own.
const subs = new Map([sub('agent-1', 'session'), sub('warmup', 'session', true), sub('subtask', 'task')])
const list = [row('agent-1'), row('session'), row('warmup'), row('task', 1), row('subtask', 2)]

describe('nestRows', () => {
  it('folds children under their parent, collapsed, and counts what the row folds in', () => {
    const nesting = nestRows(list, subs, closed)
    expect(ids(nesting)).toEqual(['session', 'task'])
    expect(nesting.rows[0]).toMatchObject({
      descendants: ['agent-1', 'warmup'],
      shownChildren: 1,
      expanded: false,
    })
    expect(nesting.rows[1]).toMatchObject({ descendants: ['subtask'], shownChildren: 1 })
  })

  it('draws the children of an expanded parent under it in the list order, without the trivial ones', () => {
    expect(ids(nestRows(list, subs, open('session')))).toEqual(['session', '  agent-1', 'task'])
    expect(ids(nestRows(list, subs, open('session', 'task')))).toEqual([
      'session',
      '  agent-1',
      'task',
      '  subtask',
    ])
  })

  it('hides trivial sub-agents by default and says how many, and draws them when asked', () => {
    const hidden = nestRows(list, subs, open('session'))
    expect(hidden).toMatchObject({ trivialCount: 1, hiddenTrivial: 1 })
    const shown = nestRows(list, subs, { ...open('session'), showTrivial: true })
    expect(ids(shown)).toEqual(['session', '  agent-1', '  warmup', 'task'])
    expect(shown).toMatchObject({ trivialCount: 1, hiddenTrivial: 0 })
    expect(shown.rows[0]?.shownChildren).toBe(2)
  })

  it('keeps a child whose parent the filters leave out as a row of its own', () => {
    const filtered = [row('agent-1'), row('warmup'), row('subtask')]
    expect(ids(nestRows(filtered, subs, closed))).toEqual(['agent-1', 'warmup', 'subtask'])
    expect(nestRows(filtered, subs, closed).hiddenTrivial).toBe(0)
  })

  it('reveals the open conversation: its parent expands and a trivial one is drawn (a search hit on a child)', () => {
    expect(ids(nestRows(list, subs, { ...closed, revealId: 'warmup' }))).toEqual([
      'session',
      '  agent-1',
      '  warmup',
      'task',
    ])
  })

  it('nests a sub-task of a sub-task one level deeper, and its root folds in both', () => {
    const deep = new Map([...subs, sub('grandchild', 'subtask')])
    const rows = [...list, row('grandchild', 3)]
    expect(ids(nestRows(rows, deep, open('task', 'subtask')))).toEqual([
      'session',
      'task',
      '  subtask',
      '    grandchild',
    ])
    expect(nestRows(rows, deep, closed).rows[1]?.descendants).toEqual(['subtask', 'grandchild'])
  })

  it('draws every row of a parent cycle (bad data: a task naming its own child as parent) as a row of its own', () => {
    const cycle = new Map([sub('a', 'b'), sub('b', 'a'), sub('self', 'self')])
    expect(ids(nestRows([row('a'), row('b'), row('self')], cycle, closed))).toEqual(['a', 'b', 'self'])
  })
})

describe('isTrivialSubConversation', () => {
  it('is a prompt and at most one reply: a tool call and its result make it four', () => {
    expect([1, 2, 3, 4].map(isTrivialSubConversation)).toEqual([true, true, false, false])
  })
})

describe('listItems with nesting', () => {
  const shape = (items: ReturnType<typeof listItems>) =>
    items.map((item) => (item.kind === 'heading' ? `# ${item.count}` : item.row.id))

  it('keeps children in their parent day group without counting them, whatever their own day', () => {
    const rows = [row('session', 0), row('old-agent', 5), row('task', 1)]
    const nesting = nestRows(rows, new Map([sub('old-agent', 'session')]), open('session'))
    expect(shape(listItems(nesting.rows, 'day'))).toEqual(['# 1', 'session', 'old-agent', '# 1', 'task'])
  })

  it("keeps children in their parent's workspace group, though their own workspace differs", () => {
    const rows = [row('session', 0, '/w1'), row('other', 0, '/w2'), row('agent', 0, '/w2')]
    const nesting = nestRows(rows, new Map([sub('agent', 'session')]), open('session'))
    expect(shape(listItems(nesting.rows, 'workspace'))).toEqual(['# 1', 'session', 'agent', '# 1', 'other'])
  })
})
