/**
 * The settings API as the app runs it: a real sync runtime (LiveStore, hub, bridge), real sources and a real
 * data directory. Renaming the device reaches device.json, the store's devices table and the hub's eventlog (where
 * the audit trail and its exports take device names from).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { SettingsInfo } from '../../shared/api/contract'
import { tables } from '../../shared/livestore/schema'
import { deviceNames } from '../audit/audit-query'
import { until } from '../hub/test-support/until'
import { startImportSources, type ImportSources } from '../import/import-sources'
import { samplesDir } from '../import/test-support/samples'
import { useScratch } from '../repository/test-support/scratch'
import { startSyncRuntime, type SyncRuntime } from '../sync/sync-runtime'
import { appDispatcher } from './app-dispatcher'
import { makeDispatcher } from './handlers'

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
  const repository = scratch.open({ dataDir })
  runtime = await startSyncRuntime({
    dataDir,
    repository,
    log: () => undefined,
  })
  const sync = runtime
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
    sync,
    sources,
    hubAccess: () => null,
    // Typed source paths must lie here (the user's home folder in the app): the samples are elsewhere.
    sourceRoots: [samplesDir()],
  })
  return { dataDir, repository, dispatch, sync }
}

describe('settings API', () => {
  it('renames the device in device.json, in the store and in the audit trail; the session and settings say the new name', async () => {
    const { dataDir, repository, dispatch, sync } = await app()
    const renamed = await dispatch('renameDevice', { name: '  Studio\n laptop  ' })
    expect(renamed).toMatchObject({
      ok: true,
      value: { device: { id: sync.device.id, name: 'Studio laptop' } },
    })
    expect(JSON.parse(readFileSync(join(dataDir, 'device.json'), 'utf8'))).toEqual({
      id: sync.device.id,
      name: 'Studio laptop',
    })
    expect(sync.store.store.query(tables.devices.where({ id: sync.device.id }).first())?.name).toBe(
      'Studio laptop',
    )
    await until(
      () => deviceNames(repository.db),
      (names) => names.get(sync.device.id) === 'Studio laptop',
      10_000,
    )
    expect(await dispatch('session', {})).toMatchObject({
      ok: true,
      value: { device: { name: 'Studio laptop' } },
    })
    // Bad input: a name of spaces only.
    expect(await dispatch('renameDevice', { name: ' \t ' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_NAME' },
    })
  })

  it('adds a source, imports it with progress, and lists it with its last import', async () => {
    const { dataDir, dispatch } = await app()
    const tasks = samplesDir('roo-code', 'tasks')
    const added = await dispatch('addSource', { path: tasks })
    expect(added).toMatchObject({
      ok: true,
      value: { dataDir, sources: [{ path: tasks, format: 'roo', origin: 'added' }] },
    })
    const started = await dispatch('importStart', { path: tasks })
    if (!started.ok) throw new Error(started.error.message)
    const jobId = (started.value as { jobId: string }).jobId
    const done = await until(
      () => dispatch('importStatus', { jobId }),
      (status) => status.ok && (status.value as { state: string }).state !== 'running',
      20_000,
    )
    expect(done).toMatchObject({ ok: true, value: { state: 'done', added: { conversations: 2 } } })
    const settings = (await dispatch('settings', {})) as { ok: true; value: SettingsInfo }
    expect(settings.value.sources[0]?.lastImport).toMatchObject({ conversations: 2 })
    // Bad input: a path longer than any path, and a job nobody started.
    expect(await dispatch('addSource', { path: 'x'.repeat(5_000) })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENTS' },
    })
    expect(await dispatch('importStatus', { jobId: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    })
  })

  it('answers SETTINGS_UNAVAILABLE where no sources run (the CLI)', async () => {
    const dispatch = makeDispatcher(scratch.open({ dataDir: scratch.dir() }), () => undefined)
    expect(await dispatch('settings', {})).toMatchObject({
      ok: false,
      error: { code: 'SETTINGS_UNAVAILABLE' },
    })
  })

  it('syncStatus counts the changes in the repository that the bridge has not yet made into events', async () => {
    const { repository, dispatch, sync } = await app()
    await sync.bridge.stop()
    await repository.write('import', (w) =>
      w.upsertConversations([{ id: 'c1', source: 'roo', sourceId: 'c1', title: 'One', createdAt: 1 }]),
    )
    expect(await dispatch('syncStatus', {})).toMatchObject({ ok: true, value: { repositoryBacklog: 1 } })
    await sync.bridge.drain()
    expect(await dispatch('syncStatus', {})).toMatchObject({ ok: true, value: { repositoryBacklog: 0 } })
  })

  it('syncRetry says there is nothing to try again on a machine that syncs with no worker, or runs no hub', async () => {
    const { dispatch } = await app()
    expect(await dispatch('syncRetry', {})).toEqual({ ok: true, value: { retrying: false } })
    const hubless = makeDispatcher(scratch.open({ dataDir: scratch.dir() }), () => undefined)
    expect(await hubless('syncRetry', {})).toMatchObject({ ok: false, error: { code: 'SYNC_UNAVAILABLE' } })
  })
})
