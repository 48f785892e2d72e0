import { describe, expect, it } from 'vitest'
import { currentBootProgress, describeOpening, reportBootStatus, reportRepairProgress } from './boot-progress'

const n = (value: number) => value.toLocaleString()

describe('what the page says while its store opens', () => {
  it("says LiveStore's stage and progress, then the leader's repair, then LiveStore's again", () => {
    expect(describeOpening(currentBootProgress())).toBe('Opening your library…')
    reportBootStatus({ stage: 'rehydrating', progress: { done: 1000, total: 20000 } })
    expect(describeOpening(currentBootProgress())).toBe(
      `Reading your library: ${n(1000)} of ${n(20000)} events…`,
    )

    const before = currentBootProgress().reports
    reportRepairProgress(44, 6019)
    expect(currentBootProgress()).toMatchObject({ repairing: true, reports: before + 1 })
    expect(describeOpening(currentBootProgress())).toBe(`Repairing your library: 44 of ${n(6019)} events…`)

    // Once the page has loaded again, LiveStore reports on its own: that is no longer the repair.
    reportBootStatus({ stage: 'loading' })
    expect(currentBootProgress().repairing).toBe(false)
    expect(describeOpening(currentBootProgress())).toBe('Opening your library…')
  })
})
