/**
 * `chronicle sync setup` against a worker deployed with a claim secret: the real binary and the real Worker in
 * workerd. Without the secret, or with a wrong one, setup says how to give it and writes nothing; with
 * `--claim-secret -` and the secret on stdin it sets up, and another machine joins with the code alone. Bad input,
 * each named: no secret, a wrong secret, the secret as an argument (it would stay in shell history), empty stdin.
 */

import { readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { useLocalWorker } from '../../../sync-worker/test/use-local-worker'
import { useScratch } from '../repository/test-support/scratch'
import { runChronicle } from './test-support/run-chronicle'

const SECRET = 'operator-secret-for-cli-71d2'
const scratch = useScratch()
const local = useLocalWorker('claim-secret-cli', { claimSecret: SECRET })

const chronicle = runChronicle

describe('chronicle sync setup with a worker that has a claim secret', () => {
  it('refuses without the secret or with a wrong one, saying how to give it, and writes nothing', async () => {
    const dataDir = scratch.dir()
    const without = await chronicle(dataDir, ['sync', 'setup', local.worker().url])
    expect(without.code).toBe(1)
    expect(without.stderr).toContain('HTTP 403 claim_secret_required')
    expect(without.stderr).toContain('--claim-secret -')
    const wrong = await chronicle(
      dataDir,
      ['sync', 'setup', local.worker().url, '--claim-secret', '-'],
      'guess\n',
    )
    expect([wrong.code, wrong.stderr]).toEqual([1, expect.stringContaining('claim_secret_required')])
    const inArgs = await chronicle(dataDir, ['sync', 'setup', local.worker().url, '--claim-secret', SECRET])
    expect([inArgs.code, inArgs.stderr]).toEqual([2, expect.stringContaining('--claim-secret takes -')])
    const empty = await chronicle(dataDir, ['sync', 'setup', local.worker().url, '--claim-secret', '-'], '\n')
    expect([empty.code, empty.stderr]).toEqual([1, expect.stringContaining('no claim secret on stdin')])
    expect(readdirSync(dataDir).filter((name) => /sync|key/.test(name))).toEqual([])
  })

  it('sets up with the secret from stdin, and another machine joins with the pairing code alone', async () => {
    const first = scratch.dir()
    const setup = await chronicle(
      first,
      ['sync', 'setup', local.worker().url, '--json', '--claim-secret', '-'],
      `${SECRET}\n`,
    )
    expect([setup.code, setup.stderr]).toEqual([0, ''])
    const { pairingCode } = JSON.parse(setup.stdout) as { pairingCode: string }
    const joined = await chronicle(scratch.dir(), ['sync', 'join', '-'], `${pairingCode}\n`)
    expect([joined.code, joined.stderr]).toEqual([0, ''])
  })
})
