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
      undoStateAbove: null,
    })
    expect(tornWriteRepair({ backend: 14, eventlog: 10, state: null })).toEqual({
      backendHead: 10,
      undoStateAbove: null,
    })
  })

  it("also undoes the state's events when it committed the pulled events and the eventlog did not", () => {
    const heads = { backend: 14, eventlog: 10, state: 14 }
    const repair = tornWriteRepair(heads)
    expect(repair).toEqual({ backendHead: 10, undoStateAbove: 10 })
    expect(describeRepair(heads, repair!)).toBe(
      "LiveStore's last pull was interrupted (backend head 14, eventlog head 10, state head 14): the backend head " +
        "is set back to 10 and the state's 4 events beyond the eventlog are undone, and the missing events are " +
        'pulled again',
    )
  })

  it("undoes the state's events when a local commit reached it and not the eventlog (bad input: state ahead)", () => {
    const heads = { backend: 1, eventlog: 1, state: 2 }
    const repair = tornWriteRepair(heads)
    expect(repair).toEqual({ backendHead: null, undoStateAbove: 1 })
    expect(describeRepair(heads, repair!)).toBe(
      "LiveStore's last commit was interrupted (backend head 1, eventlog head 1, state head 2): the state's one " +
        'event beyond the eventlog is undone',
    )
    expect(tornWriteRepair({ backend: null, eventlog: 0, state: 2 })).toEqual({
      backendHead: null,
      undoStateAbove: 0,
    })
  })
})
