/**
 * Where a setup or join from Settings stands, for the page that asks while it runs (the API's
 * syncMembershipProgress): bringing the trail up to date, exporting it or sending a large library's history up take
 * tens of seconds, and the page has no other way to see them go. The change reports into it through
 * MembershipOptions.onProgress; the application keeps one for its data directory, so each change starts from nothing
 * and a finished one leaves nothing behind.
 */
import type { MembershipStep } from '../../shared/api/contract'

export interface MembershipProgress {
  /** For MembershipOptions.onProgress. */
  readonly report: (step: MembershipStep) => void
  /** Runs one change; what it reports is read until it ends, and nothing before or after. */
  during<T>(change: () => Promise<T>): Promise<T>
  read(): MembershipStep | null
}

export function membershipProgress(): MembershipProgress {
  let current: MembershipStep | null = null
  let running = false
  return {
    report(step) {
      // A report from a change that has ended (a timer late by a tick) must not outlive it.
      if (running) current = step
    },
    async during(change) {
      running = true
      current = null
      try {
        return await change()
      } finally {
        running = false
        current = null
      }
    },
    read: () => current,
  }
}
