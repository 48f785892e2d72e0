/**
 * Setting up from Settings on a worker deployed with a claim secret: the API call the page makes (syncSetUp)
 * against the real Worker in workerd started with CLAIM_SECRET, while the app runs. Bad input, each named: no
 * secret and a wrong one are refused with the worker's reason and change nothing; the right one sets up, and the
 * app relays from then on.
 */
import { readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { useLocalWorker } from '../../../sync-worker/test/use-local-worker'
import { useScratch } from '../repository/test-support/scratch'
import { startApplication } from './application'
import { applicationOptions } from './test-support/application-options'

const SECRET = 'operator-secret-for-settings-4be0'
const scratch = useScratch()
const local = useLocalWorker('claim-secret-app', { claimSecret: SECRET })

describe('setting up from Settings on a worker with a claim secret', () => {
  it('refuses without the secret or with a wrong one, and sets up with the right one', async () => {
    const dataDir = scratch.dir()
    const app = await startApplication(applicationOptions(dataDir, []))
    scratch.defer(() => app.close())
    const syncFiles = () => readdirSync(dataDir).filter((name) => /^sync\.json$|^library\.key$/.test(name))

    for (const claimSecret of [undefined, 'a guess']) {
      const refused = await app.dispatch('syncSetUp', {
        url: local.worker().url,
        ...(claimSecret !== undefined && { claimSecret }),
      })
      expect(refused).toMatchObject({
        ok: false,
        error: { code: 'SYNC_REFUSED', message: expect.stringContaining('claim_secret_required') as unknown },
      })
      expect(syncFiles()).toEqual([])
      expect(app.sync.relay).toBeNull()
    }

    const done = await app.dispatch('syncSetUp', { url: local.worker().url, claimSecret: SECRET })
    expect(done).toMatchObject({
      ok: true,
      value: {
        remote: { role: 'set-up' },
        pairingCode: expect.stringMatching(/^chronicle-pair-1-/) as unknown,
      },
    })
    expect(syncFiles().sort()).toEqual(['library.key', 'sync.json'])
    expect(app.sync.relay).not.toBeNull()
  })
})
