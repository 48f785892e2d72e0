import { describe, expect, it } from 'vitest'
import type { RemoteSyncStatus, SyncStatus } from '../../../shared/api/contract'
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
    unconfirmed: 0,
    remote: null,
    ...status,
  },
})
const page = { connected: true, pending: 0, head: 10 }
const remote = (part: Partial<RemoteSyncStatus>): RemoteSyncStatus => ({
  url: 'https://sync.example',
  storeId: 'chronicle-x',
  connection: { state: 'connected', since: 0, caughtUp: true },
  remoteHead: 10,
  localHead: 10,
  machines: null,
  ...part,
})

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

describe('the header sync indicator with a sync worker', () => {
  it('says Synced only when this machine holds the worker head and the worker confirmed its changes', () => {
    expect(syncState(page, hub({ remote: remote({}) }))).toMatchObject({ kind: 'synced', label: 'Synced' })
    expect(syncState(page, hub({ remote: remote({}), unconfirmed: 3 }))).toMatchObject({
      kind: 'syncing',
      count: 3,
    })
    expect(syncState(page, hub({ remote: remote({ remoteHead: 25 }) }))).toMatchObject({
      kind: 'syncing',
      count: 15,
    })
    const catchingUp = remote({ connection: { state: 'connected', since: 0, caughtUp: false } })
    expect(syncState(page, hub({ remote: catchingUp }))).toEqual({
      kind: 'syncing',
      label: 'Syncing',
      count: 0,
    })
  })

  it('says Offline with the changes that wait to go up while the worker cannot be reached', () => {
    const away = remote({ connection: { state: 'unreachable', reason: 'ECONNREFUSED', retryAt: 0 } })
    expect(
      syncState({ ...page, pending: 1 }, hub({ remote: away, unconfirmed: 40, repositoryBacklog: 2 })),
    ).toEqual({
      kind: 'offline',
      label: `Offline: ${(43).toLocaleString()} changes waiting`,
      detail: 'The sync worker cannot be reached: ECONNREFUSED',
    })
    expect(syncState(page, hub({ remote: away, unconfirmed: 1 }))).toMatchObject({
      label: 'Offline: 1 change waiting',
    })
    expect(syncState(page, hub({ remote: away }))).toMatchObject({ kind: 'offline', label: 'Offline' })
  })

  it('says refused, not offline, when the worker turned this machine away (bad input: a wrong key)', () => {
    const turnedAway = remote({
      connection: { state: 'refused', reason: 'HTTP 401: the token does not match' },
    })
    expect(syncState(page, hub({ remote: turnedAway, unconfirmed: 5 }))).toEqual({
      kind: 'refused',
      label: 'Sync refused',
      detail: 'The sync worker refused: HTTP 401: the token does not match',
    })
  })
})
