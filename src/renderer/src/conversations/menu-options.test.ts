import { describe, expect, it } from 'vitest'
import type { FilterChoice } from './conversation-query'
import { menuOptions } from './menu-options'

const choices: FilterChoice[] = [
  { kind: 'source', value: 'claude-code', n: 40 },
  { kind: 'source', value: 'roo', n: 3 },
  { kind: 'model', value: 'claude-haiku-4-5', n: 12 },
]

describe('menuOptions', () => {
  it('offers the counted values of its kind, in the order counted, with their counts', () => {
    expect(menuOptions(choices, 'source', null)).toEqual([
      { value: 'claude-code', label: 'claude-code (40)' },
      { value: 'roo', label: 'roo (3)' },
    ])
    expect(menuOptions(choices, 'source', 'roo')).toHaveLength(2)
  })

  it('keeps the chosen value when the counts do not hold it: not counted yet, or no longer in the library', () => {
    expect(menuOptions([], 'source', 'roo')).toEqual([{ value: 'roo', label: 'roo' }])
    expect(menuOptions(choices, 'model', 'gpt-4o')).toEqual([
      { value: 'gpt-4o', label: 'gpt-4o' },
      { value: 'claude-haiku-4-5', label: 'claude-haiku-4-5 (12)' },
    ])
  })
})
