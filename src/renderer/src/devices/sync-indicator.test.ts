import { describe, expect, it } from 'vitest'
import type { SyncStatus } from '../../../shared/api/contract'
import { syncState } from './sync-indicator'
import type { HubStatus } from './use-hub-status'

const hub = (status: Partial<SyncStatus>): HubStatus => ({
  state: 'ready',
  status: {
    device: { id: 'd', name: 'D' },
    hubHead: 10,
    clients: [],
    refusedConnections: [],
    repositoryBacklog: 0,
    ...status,
  },
})
const page = { connected: true, pending: 0, head: 10 }

describe('the header sync indicator', () => {
  it('says Synced when the page has the hub head, sent everything and the repository has no backlog', () => {
    expect(syncState(page, hub({}))).toMatchObject({ kind: 'synced' })
  })

  it('counts events to pull, events to push and repository changes still to become events', () => {
    expect(syncState({ ...page, head: 7, pending: 2 }, hub({ repositoryBacklog: 1_000 }))).toEqual({
      kind: 'syncing',
      count: 1_005,
      label: `Syncing ${(1_005).toLocaleString()}`,
    })
  })

  it('says Offline when the page has no connection or the hub cannot be asked', () => {
    expect(syncState({ ...page, connected: false }, hub({}))).toMatchObject({ kind: 'offline' })
    expect(syncState(page, { state: 'unreachable', message: 'x', since: 0 })).toMatchObject({
      kind: 'offline',
    })
  })
})
