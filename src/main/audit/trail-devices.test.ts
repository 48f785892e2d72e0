/**
 * The pusher a record names, on a real repository and hub eventlog: each hub's own words (`host:`, `relay:`) in a
 * library that never synced, and in a synced one the machine that vouches for the device (relay/device-owners.ts
 * keeps that claim), so two machines' exports agree. Bad input: an owner whose key no device registered (named by
 * its fingerprint), and a claim for the empty device id that refusals carry (ignored).
 */
import { describe, expect, it } from 'vitest'
import { useScratch } from '../repository/test-support/scratch'
import { auditPage } from './audit-page'
import { loadOrCreateSigningKey } from './signing-key'
import { LAPTOP, SERVER, seedEventlog } from './test-support/seed-eventlog'
import { trailDevices } from './trail-devices'

const scratch = useScratch()

async function seeded() {
  const dataDir = scratch.dir()
  const repo = scratch.open({ dataDir })
  const own = loadOrCreateSigningKey(dataDir)
  await seedEventlog(repo, 1, own)
  return { repo, own }
}

const pushers = async (repo: Awaited<ReturnType<typeof seeded>>['repo']) =>
  new Set((await auditPage(repo, {}, undefined, 1_000)).records.map((r) => `${r.deviceId} ${r.pushedBy}`))

describe('the pusher a record names', () => {
  it("is the hub's own word in a library that never synced", async () => {
    const { repo } = await seeded()
    expect((await trailDevices(repo.db)).vouchers.size).toBe(0)
    // The seed has an event that names no device, as a refusal stored in another's place does.
    expect(await pushers(repo)).toEqual(
      new Set([`${LAPTOP} host:${LAPTOP}`, `${SERVER} host:${LAPTOP}`, ` host:${LAPTOP}`]),
    )
  })

  it('is the vouching machine in a synced library, by its device id, else by its key', async () => {
    const { repo, own } = await seeded()
    const stranger = 'SHA256:' + 'Q'.repeat(43)
    await repo.db
      .insertInto('hub_meta')
      .values([
        { key: `relay_device_owner:store-1:${LAPTOP}`, value: own.fingerprint },
        { key: `relay_device_owner:store-1:${SERVER}`, value: stranger },
        { key: 'relay_device_owner:store-1:', value: stranger },
      ])
      .execute()
    const { vouchers } = await trailDevices(repo.db)
    expect(vouchers).toEqual(
      new Map([
        [LAPTOP, `machine:${LAPTOP}`],
        [SERVER, `machine:${stranger}`],
      ]),
    )
    expect(await pushers(repo)).toEqual(
      new Set([`${LAPTOP} machine:${LAPTOP}`, `${SERVER} machine:${stranger}`, ` host:${LAPTOP}`]),
    )
  })
})
