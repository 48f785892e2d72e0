/**
 * What the trail says of the devices its events name: each device's latest name, and, in a library synced between
 * machines, the machine that vouches for it. Each machine's hub records whom it authenticated as an event's pusher
 * (`host:` or `ui:` for its own main process and pages, `relay:` for what it pulled from the worker), which
 * differs between machines for one and the same event. The machine that signed the device's events
 * (relay/device-owners.ts) is a fact every machine of the library decides alike, so a record's `pushedBy` names it
 * there (`machine:<its device id>`), and exports of one range from any machine are the same bytes apart from their
 * signer. A library that never synced keeps its hub's own words.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../repository/database-schema'
import { DEVICE_OWNER_PREFIX } from '../relay/device-owners'
import { deviceNames } from './audit-query'
import { registeredKeys } from './trusted-keys'

export interface TrailDevices {
  /** Device id → its latest name. */
  readonly names: ReadonlyMap<string, string>
  /** Device id → `machine:<id>` of the machine that vouches for its events; only in a synced library. */
  readonly vouchers: ReadonlyMap<string, string>
}

export async function trailDevices(db: Kysely<Database>): Promise<TrailDevices> {
  const [names, owners] = await Promise.all([
    deviceNames(db),
    db
      .selectFrom('hub_meta')
      .select(['key', 'value'])
      .where('key', '>=', DEVICE_OWNER_PREFIX)
      .where('key', '<', `${DEVICE_OWNER_PREFIX}\uffff`)
      .execute(),
  ])
  if (owners.length === 0) return { names, vouchers: new Map() }
  // The registrations are in the shared eventlog, so every machine maps a key to the same device.
  const machineOf = new Map((await registeredKeys(db, names)).map((key) => [key.fingerprint, key.deviceId]))
  const vouchers = new Map<string, string>()
  for (const { key, value: fingerprint } of owners) {
    // Device ids hold no ':'; a library left and another joined name a device's owner alike (its machine's key).
    const deviceId = key.slice(key.lastIndexOf(':') + 1)
    if (deviceId !== '') vouchers.set(deviceId, `machine:${machineOf.get(fingerprint) ?? fingerprint}`)
  }
  return { names, vouchers }
}
