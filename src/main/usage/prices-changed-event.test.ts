/**
 * `v1.PricesChanged` in the hub's push policy: the host (the app, `serve`, the command line holding the library)
 * records a price change; a page or another device cannot forge one (bad input: the same event pushed by a page of
 * this device and by a connected device, each speaking for itself), since pages change prices through the API.
 */
import { describe, expect, it } from 'vitest'
import { events } from '../../shared/livestore/events'
import type { ClientIdentity } from '../hub/hub-credentials'
import type { GlobalEvent } from '../hub/hub-eventlog'
import { pushRefusal } from '../hub/push-policy'

const DEVICE = 'device-laptop-0001'

const pushed = (deviceId: string): GlobalEvent => {
  const event = events.pricesChanged({
    at: Date.UTC(2026, 11, 3),
    deviceId,
    actor: 'user',
    origin: 'ui',
    source: '/home/dain/Downloads/model_prices_and_context_window.json',
    date: '2026-11-20',
    sha256: 'a'.repeat(64),
    models: 1_204,
  })
  return {
    name: event.name,
    args: event.args,
    seqNum: 1,
    parentSeqNum: 0,
    clientId: `${deviceId}-x`,
    sessionId: 's',
  }
}

const refusal = (identity: ClientIdentity) =>
  pushRefusal([pushed(identity.deviceId)], { identity, pinnedClientId: null, reservedClientIds: new Set() })

describe('v1.PricesChanged', () => {
  it('is taken from the host', () => expect(refusal({ kind: 'host', deviceId: DEVICE })).toBeNull())

  it.each(['ui', 'device'] as const)('is refused from a %s client', (kind) =>
    expect(refusal({ kind, deviceId: DEVICE })).toMatch(/v1\.PricesChanged/),
  )
})
