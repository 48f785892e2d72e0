import { describe, expect, it } from 'vitest'
import { describeRepair, interruptedPullRepair } from './interrupted-pull'

describe('recovery from an interrupted pull', () => {
  it('leaves a consistent store alone', () => {
    expect(interruptedPullRepair({ backend: 10, eventlog: 10, state: 10 })).toBeNull()
    // Local events not yet pushed put the eventlog ahead of the backend: that is normal.
    expect(interruptedPullRepair({ backend: 10, eventlog: 12, state: null })).toBeNull()
  })

  it('sets the head back when the kill came before the pulled events were written (bad input: head ahead)', () => {
    expect(interruptedPullRepair({ backend: 14, eventlog: 10, state: 9 })).toEqual({
      backendHead: 10,
      rebuildState: false,
    })
    expect(interruptedPullRepair({ backend: 14, eventlog: 10, state: null })).toEqual({
      backendHead: 10,
      rebuildState: false,
    })
  })

  it('also rebuilds the state when it committed the pulled events and the eventlog did not', () => {
    const heads = { backend: 14, eventlog: 10, state: 14 }
    expect(interruptedPullRepair(heads)).toEqual({ backendHead: 10, rebuildState: true })
    expect(describeRepair(heads, { backendHead: 10, rebuildState: true })).toContain(
      'set back to 10 and the state is rebuilt',
    )
  })
})
