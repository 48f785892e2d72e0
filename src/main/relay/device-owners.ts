/**
 * Which machine speaks for which device, in one library: the first machine that signed an event naming a device
 * (event-signature.ts) owns it, and every later event that names the device must carry that machine's signature.
 * A machine's own device, its pages and the simulated devices on its hub all reach the library through its relay
 * first, and device ids are random, so no other machine can name one before its owner has used it.
 *
 * Kept in hub_meta (`relay_device_owner:<library>:<device>` → the signer's fingerprint), written before the events
 * that made the claim are stored, so a crash in between leaves the claim of events the Worker will serve again.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../repository/database-schema'
import { RelayRefusal } from './relay-codec'

export interface DeviceClaim {
  readonly seqNum: number
  readonly deviceId: string
  /** The signer's key fingerprint. */
  readonly signer: string
}

export interface DeviceOwners {
  load(): Promise<void>
  /** Why the first of `claims` that another machine's device names is refused, or null when none does. */
  impostor(claims: readonly DeviceClaim[]): string | null
  /** Checks claims in eventlog order and records the new ones; throws a RelayRefusal at the first impostor. */
  admit(claims: readonly DeviceClaim[]): Promise<void>
}

export function makeDeviceOwners(db: Kysely<Database>, storeId: string): DeviceOwners {
  const prefix = `relay_device_owner:${storeId}:`
  const owners = new Map<string, string>()
  /** The claims no machine made before, by device; the refusal of the first impostor among them. */
  const sort = (claims: readonly DeviceClaim[]) => {
    const fresh = new Map<string, string>()
    for (const { seqNum, deviceId, signer } of claims) {
      const owner = owners.get(deviceId) ?? fresh.get(deviceId)
      if (owner === undefined) fresh.set(deviceId, signer)
      else if (owner !== signer)
        return {
          fresh,
          refusal:
            `event ${seqNum} names device ${deviceId}, which machine ${owner} speaks for, but machine ` +
            `${signer} signed it: a machine of this library is impersonating another`,
        }
    }
    return { fresh, refusal: null }
  }
  return {
    async load() {
      const rows = await db
        .selectFrom('hub_meta')
        .select(['key', 'value'])
        .where('key', '>=', prefix)
        .where('key', '<', `${prefix}\uffff`)
        .execute()
      for (const { key, value } of rows) owners.set(key.slice(prefix.length), value)
    },
    impostor: (claims) => sort(claims).refusal,
    async admit(claims) {
      const { fresh, refusal } = sort(claims)
      if (refusal !== null) throw new RelayRefusal(refusal)
      if (fresh.size === 0) return
      await db
        .insertInto('hub_meta')
        .values([...fresh].map(([deviceId, signer]) => ({ key: `${prefix}${deviceId}`, value: signer })))
        .onConflict((oc) => oc.column('key').doNothing())
        .execute()
      for (const [deviceId, signer] of fresh) owners.set(deviceId, signer)
    },
  }
}
