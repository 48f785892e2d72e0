/** Keys name each element once per read, whatever order its times come in (clocks go back; rows share a ms). */
import { describe, expect, it } from 'vitest'
import { keysFor, partKey } from './source-keys'

describe('source keys', () => {
  it('counts a time written again, next to its first use or after later ones', () => {
    const keyOf = keysFor('ui')
    const keys = [5, 7, 7, 5, 9, 5].map((ts, i) => keyOf(ts, i))
    expect(keys).toEqual(['ui-5', 'ui-7', 'ui-7.1', 'ui-5.1', 'ui-9', 'ui-5.2'])
  })

  it('falls back to the position for an element without a usable time', () => {
    const keyOf = keysFor('api')
    expect([undefined, '2025-01-01', Number.NaN, 3].map((ts, i) => keyOf(ts, i))).toEqual([
      'api-at-0',
      'api-at-1',
      'api-at-2',
      'api-3',
    ])
    expect([partKey('api-3', 0), partKey('api-3', 1)]).toEqual(['api-3', 'api-3-1'])
  })
})
