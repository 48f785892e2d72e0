import { describe, expect, it } from 'vitest'
import type { SyncStatus } from '../../../shared/api/contract'
import { ok } from '../../../shared/result'
import { nextHubStatus, type HubStatus } from './use-hub-status'

const status = (hubHead: number): SyncStatus => ({
  device: { id: 'd', name: 'D' },
  hubHead,
  clients: [],
  refusedConnections: [],
  repositoryBacklog: 0,
})

describe('the hub status the shell polls every second', () => {
  it('keeps the same state object while the answers are equal, so the shell does not redraw', () => {
    const first = nextHubStatus({ state: 'loading' }, ok(status(10)), 1_000)
    // A fresh answer object with the same content, as the API gives every second.
    const second = nextHubStatus(first, ok(status(10)), 2_000)
    expect(second).toBe(first)
    const moved = nextHubStatus(second, ok(status(11)), 3_000)
    expect(moved).not.toBe(first)
    expect(moved).toEqual({ state: 'ready', status: status(11) })
  })

  it('dates an outage from its first failed answer (bad input: the hub unreachable twice running)', () => {
    const failure = { ok: false as const, error: { code: 'unreachable', message: 'connection refused' } }
    const down = nextHubStatus({ state: 'ready', status: status(10) }, failure, 5_000)
    const still: HubStatus = nextHubStatus(down, failure, 6_000)
    expect(still).toEqual({ state: 'unreachable', message: 'connection refused', since: 5_000 })
  })
})
