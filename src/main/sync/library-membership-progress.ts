/**
 * Where a setup from Settings stands, for the page that asks while it runs (the API's syncSetUpProgress): sending a
 * large library's history up takes tens of seconds, and the page has no other way to see it go. The setup reports
 * into it through MembershipOptions.onHistoryProgress; the application keeps one for its data directory, so each
 * setup starts from nothing and a finished one leaves nothing behind.
 */
import type { SyncSetUpProgress } from '../../shared/api/contract'

export interface SetUpProgress {
  /** For MembershipOptions.onHistoryProgress: `sent` of `total` history events the worker holds. */
  readonly historySent: (sent: number, total: number) => void
  /** Runs one setup; what it reports is read until it ends, and nothing before or after. */
  during<T>(setUp: () => Promise<T>): Promise<T>
  read(): SyncSetUpProgress
}

export function setUpProgress(): SetUpProgress {
  let current: SyncSetUpProgress = null
  let running = false
  return {
    historySent(sent, total) {
      // A report from a setup that has ended (a timer late by a tick) must not outlive it.
      if (running) current = { sent, total }
    },
    async during(setUp) {
      running = true
      current = null
      try {
        return await setUp()
      } finally {
        running = false
        current = null
      }
    },
    read: () => current,
  }
}
