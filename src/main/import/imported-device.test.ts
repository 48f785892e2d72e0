/**
 * Messages an import writes carry the device they came from, this machine's (device.json), through every way an
 * import runs: the engine given the id, the app's watched sources, and `chronicle import` on a data directory.
 * Real sample files, real repository files.
 */
import { spawnSync } from 'node:child_process'
import { cpSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { until } from '../hub/test-support/until'
import { openRepository, type Repository } from '../repository/repository'
import { PROJECT_ROOT } from '../repository/test-support/child-node'
import { useScratch } from '../repository/test-support/scratch'
import { loadDeviceIdentity } from '../sync/device-identity'
import { importSources } from './import-engine'
import { startImportSources, type ImportSources } from './import-sources'
import { rooCodeAdapter } from './sources/roo-cline'
import { samplesDir } from './test-support/samples'

const scratch = useScratch()
let sources: ImportSources | undefined
afterEach(async () => {
  await sources?.close()
  sources = undefined
})

/** Each device id the messages carry, with how many carry it. */
const messageDevices = (repo: Repository) =>
  repo.db
    .selectFrom('messages')
    .select(['device_id', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('device_id')
    .execute()

describe('an imported message’s device', () => {
  it('is the device the engine is told it runs on', async () => {
    const repo = scratch.open()
    const summary = await importSources(
      repo,
      [{ path: samplesDir('roo-code', 'tasks'), adapter: rooCodeAdapter }],
      {
        deviceId: 'desktop-7',
      },
    )
    expect(summary.messages.added).toBeGreaterThan(0)
    expect(await messageDevices(repo)).toEqual([{ device_id: 'desktop-7', n: summary.messages.added }])
  })

  it('is this machine’s in the app’s watched sources', async () => {
    const dataDir = scratch.dir()
    const repo = scratch.open({ dataDir })
    const claude = join(scratch.dir(), 'claude')
    cpSync(samplesDir('claude-code', 'projects'), claude, { recursive: true })
    sources = startImportSources({
      repository: repo,
      dataDir,
      log: () => undefined,
      discover: () => [{ source: 'claude-code', format: 'claude-code', path: claude }],
    })
    const devices = await until(
      () => messageDevices(repo),
      (rows) => rows.length > 0,
    )
    expect(devices).toEqual([{ device_id: loadDeviceIdentity(dataDir).id, n: expect.any(Number) }])
  })

  it('is the data directory’s device in `chronicle import`', async () => {
    const dataDir = scratch.dir()
    const run = spawnSync(
      process.execPath,
      ['bin/chronicle.js', 'import', samplesDir('claude-code', 'projects'), '--json', '--data-dir', dataDir],
      { cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, CHRONICLE_DATA_DIR: '' } },
    )
    expect(run.stderr).toBe('')
    const repo = openRepository({ dataDir })
    try {
      expect(await messageDevices(repo)).toEqual([
        { device_id: loadDeviceIdentity(dataDir).id, n: expect.any(Number) },
      ])
    } finally {
      await repo.close()
    }
  }, 60_000)
})
