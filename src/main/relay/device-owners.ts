/**
 * Which machine speaks for which device, in one library: the first machine that signed an event naming a device
 * (event-signature.ts) owns it, and every later event that names the device must carry that machine's signature.
 * A machine's own device, its pages and the simulated devices on its hub all reach the library through its relay
 * first, and device ids are random, so no other machine can name one before its owner has used it.
 *
 * Kept in hub_meta (`relay_device_owner:<library>:<device>` → the signer's fingerprint), written before the events
 * that made the claim are stored, so a crash in between leaves the claim of events the Worker will serve again.
 * Every machine decides the same claims in the same order, so they refuse the same events (relay-replica.ts).
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
  /**
   * Decides claims in eventlog order and records the admitted ones; returns the refused ones' reasons by sequence
   * number (an impostor's claim is not admitted, so it cannot make a later honest claim look like one).
   */
  sift(claims: readonly DeviceClaim[]): Promise<ReadonlyMap<number, string>>
  /** The same for claims that must all hold: throws a RelayRefusal at the first impostor, and records nothing. */
  admit(claims: readonly DeviceClaim[]): Promise<void>
}

/** What every claim's hub_meta key starts with, before `<library>:<device>` (audit/trail-devices.ts reads them). */
export const DEVICE_OWNER_PREFIX = 'relay_device_owner:'

export function makeDeviceOwners(db: Kysely<Database>, storeId: string): DeviceOwners {
  const prefix = `${DEVICE_OWNER_PREFIX}${storeId}:`
  const owners = new Map<string, string>()
  /** The claims no machine made before, by device, and the refused ones' reasons. */
  const sort = (claims: readonly DeviceClaim[]) => {
    const fresh = new Map<string, string>()
    const refused = new Map<number, string>()
    for (const { seqNum, deviceId, signer } of claims) {
      const owner = owners.get(deviceId) ?? fresh.get(deviceId)
      if (owner === undefined) fresh.set(deviceId, signer)
      else if (owner !== signer)
        refused.set(
          seqNum,
          `event ${seqNum} names device ${deviceId}, which machine ${owner} speaks for, but machine ` +
            `${signer} signed it: a machine of this library is impersonating another`,
        )
    }
    return { fresh, refused }
  }
  const record = async (fresh: ReadonlyMap<string, string>) => {
    if (fresh.size === 0) return
    await db
      .insertInto('hub_meta')
      .values([...fresh].map(([deviceId, signer]) => ({ key: `${prefix}${deviceId}`, value: signer })))
      .onConflict((oc) => oc.column('key').doNothing())
      .execute()
    for (const [deviceId, signer] of fresh) owners.set(deviceId, signer)
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
    impostor: (claims) => sort(claims).refused.values().next().value ?? null,
    async sift(claims) {
      const { fresh, refused } = sort(claims)
      await record(fresh)
      return refused
    },
    async admit(claims) {
      const { fresh, refused } = sort(claims)
      const refusal = refused.values().next().value
      if (refusal !== undefined) throw new RelayRefusal(refusal)
      await record(fresh)
    },
  }
}
