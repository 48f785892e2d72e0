/**
 * A device records its audit signing key in its registration, with the real sync runtime (LiveStore, hub,
 * bridge) on a real data directory: the first start registers the key, a restart with the same key registers
 * nothing more, and a start with another key (a library from before devices recorded keys, or a key file
 * replaced: bad input for a check that trusted the first registration only) registers again. An export then
 * verifies as signed by this device, from the trail alone.
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { tables } from '../../shared/livestore/schema'
import { loadOrCreateSigningKey, SIGNING_KEY_FILE } from '../audit/signing-key'
import { exportTrail } from '../audit/test-support/export-trail'
import { registeredKeys } from '../audit/trusted-keys'
import { verifyExport } from '../audit/verify-export'
import type { Repository } from '../repository/repository'
import { useScratch } from '../repository/test-support/scratch'
import { until } from '../hub/test-support/until'
import { startSyncRuntime, type SyncRuntime } from './sync-runtime'

const scratch = useScratch()
let runtime: SyncRuntime | undefined
afterEach(async () => {
  await runtime?.close()
  runtime = undefined
})

async function start(dataDir: string, repository: Repository) {
  await runtime?.close()
  runtime = await startSyncRuntime({ dataDir, repository, log: () => undefined })
  return runtime
}

const registrations = (repository: Repository) =>
  repository.db
    .selectFrom('hub_events')
    .select('args')
    .where('name', '=', 'v1.DeviceRegistered')
    .execute()
    .then((rows) => rows.map((r) => JSON.parse(r.args) as { signingKey?: { fingerprint: string } }))

describe('signing key registration', () => {
  it('records the key once, again when it changes, and an export verifies as signed by this device', async () => {
    const dataDir = scratch.dir()
    const repository = scratch.open({ dataDir })
    const first = loadOrCreateSigningKey(dataDir)
    const sync = await start(dataDir, repository)
    const once = await until(
      () => registrations(repository),
      (r) => r.length === 1,
    )
    expect(once[0]?.signingKey).toEqual({ publicKey: first.publicKey, fingerprint: first.fingerprint })
    expect(sync.store.store.query(tables.devices.where({ id: sync.device.id }).first())?.keyFingerprint).toBe(
      first.fingerprint,
    )

    await start(dataDir, repository)
    expect(await registrations(repository)).toHaveLength(1)

    rmSync(join(dataDir, SIGNING_KEY_FILE))
    const second = loadOrCreateSigningKey(dataDir)
    const again = await start(dataDir, repository)
    await until(
      () => registrations(repository),
      (r) => r.length === 2,
    )
    expect(await registeredKeys(repository.db)).toEqual([
      { fingerprint: first.fingerprint, deviceId: again.device.id, deviceName: again.device.name },
      { fingerprint: second.fingerprint, deviceId: again.device.id, deviceName: again.device.name },
    ])

    const file = await exportTrail(repository, dataDir, again.device)
    const report = await verifyExport(file, { registered: await registeredKeys(repository.db), named: [] })
    expect(report).toMatchObject({
      ok: true,
      signer: { trusted: true, trustedBy: 'library', device: again.device, fingerprint: second.fingerprint },
    })
  })
})
