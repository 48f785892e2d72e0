import { describe, expect, it } from 'vitest'
import { describeRepair, tornWriteRepair } from './torn-write'

describe('recovery from a write LiveStore tore between its two databases', () => {
  it('leaves a consistent store alone', () => {
    expect(tornWriteRepair({ backend: 10, eventlog: 10, state: 10 })).toBeNull()
    // Local events not yet pushed put the eventlog ahead of the backend: that is normal.
    expect(tornWriteRepair({ backend: 10, eventlog: 12, state: null })).toBeNull()
    expect(tornWriteRepair({ backend: 10, eventlog: 12, state: 12 })).toBeNull()
    // A store that never met a backend, or has no state yet.
    expect(tornWriteRepair({ backend: null, eventlog: 3, state: 3 })).toBeNull()
    expect(tornWriteRepair({ backend: null, eventlog: 0, state: null })).toBeNull()
  })

  it('sets the head back when a pull was killed before its events were written (bad input: head ahead)', () => {
    expect(tornWriteRepair({ backend: 14, eventlog: 10, state: 9 })).toEqual({
      backendHead: 10,
      rebuildState: false,
    })
    expect(tornWriteRepair({ backend: 14, eventlog: 10, state: null })).toEqual({
      backendHead: 10,
      rebuildState: false,
    })
  })

  it('also rebuilds the state when it committed the pulled events and the eventlog did not', () => {
    const heads = { backend: 14, eventlog: 10, state: 14 }
    const repair = tornWriteRepair(heads)
    expect(repair).toEqual({ backendHead: 10, rebuildState: true })
    expect(describeRepair(heads, repair!)).toBe(
      "LiveStore's last pull was interrupted (backend head 14, eventlog head 10, state head 14): the backend head " +
        'is set back to 10 and the state is rebuilt from the eventlog, and the missing events are pulled again',
    )
  })

  it('rebuilds the state when a local commit reached it and not the eventlog (bad input: state ahead)', () => {
    const heads = { backend: 1, eventlog: 1, state: 5 }
    const repair = tornWriteRepair(heads)
    expect(repair).toEqual({ backendHead: null, rebuildState: true })
    expect(describeRepair(heads, repair!)).toBe(
      "LiveStore's last commit was interrupted (backend head 1, eventlog head 1, state head 5): the state is " +
        'rebuilt from the eventlog',
    )
    expect(tornWriteRepair({ backend: null, eventlog: 0, state: 2 })).toEqual({
      backendHead: null,
      rebuildState: true,
    })
  })
})
