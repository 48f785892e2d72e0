/**
 * The prices API as the app runs it (Settings): a real sync runtime, a real repository and data directory. A file
 * in the home folder is used, its change committed as `v1.PricesChanged` by this device into the hub's eventlog,
 * and Settings reads back the table in use; a bad file (bad input: not JSON) is refused with a message to show
 * inline; a path outside the home folder answers exactly as a missing one; arguments of the wrong type are refused.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { PricesInfo } from '../../shared/api/contract'
import type { Result } from '../../shared/result'
import { appDispatcher } from '../api/app-dispatcher'
import { until } from '../hub/test-support/until'
import { startImportSources, type ImportSources } from '../import/import-sources'
import { useScratch } from '../repository/test-support/scratch'
import { startSyncRuntime, type SyncRuntime } from '../sync/sync-runtime'

const scratch = useScratch()
let runtime: SyncRuntime | undefined
let sources: ImportSources | undefined
afterEach(async () => {
  await sources?.close()
  await runtime?.close()
  runtime = sources = undefined
})

async function app() {
  const dataDir = scratch.dir()
  const home = scratch.dir()
  const repository = scratch.open({ dataDir })
  runtime = await startSyncRuntime({ dataDir, repository, log: () => undefined })
  sources = startImportSources({
    repository,
    dataDir,
    log: () => undefined,
    discover: () => [],
    watch: false,
  })
  const dispatch = appDispatcher({
    repository,
    log: () => undefined,
    dataDir,
    sync: runtime,
    sources,
    hubAccess: () => null,
    sourceRoots: [home],
  })
  return { home, repository, dispatch, sync: runtime }
}

/** The dispatcher answers `unknown`; the contract says what prices methods return. */
const value = (result: Result<unknown>): PricesInfo => {
  if (!result.ok) throw new Error(result.error.message)
  return result.value as PricesInfo
}

const TABLE = JSON.stringify({
  'claude-opus-4-6': {
    input_cost_per_token: 1e-5,
    output_cost_per_token: 5e-5,
    litellm_provider: 'anthropic',
  },
})

describe('prices API', () => {
  it('uses a file from the home folder, records it as this device, and goes back to the bundled table', async () => {
    const { home, repository, dispatch, sync } = await app()
    expect(value(await dispatch('prices', {}))).toMatchObject({
      table: { bundled: true, date: '2026-12-03' },
      problem: null,
      changed: null,
    })
    // The app's repository costs new responses with the table in use.
    expect(repository.prices.priceFor('claude-opus-4-6')).not.toBeNull()

    mkdirSync(join(home, 'Downloads'))
    const file = join(home, 'Downloads', 'model_prices_and_context_window.json')
    writeFileSync(file, TABLE)
    const used = value(await dispatch('pricesUse', { path: file }))
    expect(used).toMatchObject({
      table: { bundled: false, source: file, models: 1 },
      changed: { responses: 0 },
    })
    expect(value(await dispatch('prices', {})).table.source).toBe(file)
    expect(repository.prices.priceFor('claude-sonnet-4-5')).toBeNull()

    const recorded = async () =>
      repository.db.selectFrom('hub_events').select('args').where('name', '=', 'v1.PricesChanged').execute()
    await until(recorded, (rows) => rows.length === 1)
    expect(JSON.parse(String((await recorded())[0]?.args))).toMatchObject({
      deviceId: sync.device.id,
      actor: 'user',
      origin: 'ui',
      source: file,
      models: 1,
    })

    expect(value(await dispatch('pricesReset', {}))).toMatchObject({ table: { bundled: true } })
    await until(recorded, (rows) => rows.length === 2)
  }, 60_000)

  it('refuses a bad file with a message for the page, and a path outside home as a missing one', async () => {
    const { home, dispatch } = await app()
    const bad = join(home, 'prices.json')
    writeFileSync(bad, '<html>502 Bad Gateway</html>')
    expect(await dispatch('pricesUse', { path: bad })).toMatchObject({
      ok: false,
      error: { code: 'PRICE_FILE_NOT_JSON', message: expect.stringContaining(`${bad}: not a JSON file`) },
    })
    const outside = join(scratch.dir(), 'prices.json')
    writeFileSync(outside, TABLE)
    const answers = await Promise.all(
      [outside, join(home, 'missing.json'), 'prices.json'].map(async (path) => {
        const answer = await dispatch('pricesUse', { path })
        return answer.ok
          ? 'accepted'
          : `${answer.error.code}: ${answer.error.message.replace(path, '<path>')}`
      }),
    )
    expect(new Set(answers)).toEqual(
      new Set([`INVALID_PATH: <path> is not a file Chronicle can read in ${home}; give its full path.`]),
    )
    expect(value(await dispatch('prices', {})).table.bundled).toBe(true)
    expect(await dispatch('pricesUse', { path: 42 } as never)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENTS' },
    })
  }, 60_000)
})
