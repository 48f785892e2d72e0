/**
 * Adding a source, as each host allows it, with real sources over a real repository and real folders: the web
 * host takes typed paths inside the home folder only and answers a path outside as it answers a missing one; the
 * desktop app takes only the folder its dialog returns.
 */
import { cpSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { SettingsInfo } from '../../shared/api/contract'
import type { Result } from '../../shared/result'
import { startImportSources } from '../import/import-sources'
import { samplesDir } from '../import/test-support/samples'
import { useScratch } from '../repository/test-support/scratch'
import { settingsHandlers } from './settings-handlers'

const scratch = useScratch()

/** A home folder holding a copy of the Roo Code samples, and the handlers of a host whose home it is. */
function host(pickFolder?: () => Promise<string | null>) {
  const home = scratch.dir()
  const tasks = join(home, 'roo', 'tasks')
  cpSync(samplesDir('roo-code', 'tasks'), tasks, { recursive: true })
  const dataDir = scratch.dir()
  const sources = startImportSources({
    repository: scratch.open({ dataDir }),
    dataDir,
    log: () => undefined,
    discover: () => [],
    watch: false,
  })
  scratch.defer(() => sources.close())
  const handlers = settingsHandlers({
    dataDir,
    sources,
    device: () => ({ id: 'd', name: 'Test' }),
    renameDevice: async () => undefined,
    sourceRoots: [home],
    ...(pickFolder && { pickFolder }),
  })
  return { home, tasks, sources, handlers }
}

const failure = (result: Result<SettingsInfo>) => {
  if (result.ok) throw new Error('expected a refusal')
  return result.error
}

describe('addSource in the web host (typed paths)', () => {
  it('adds a folder inside the home folder and says sources are typed here', async () => {
    const { tasks, handlers } = host()
    const added = await handlers.addSource({ path: tasks })
    expect(added).toMatchObject({
      ok: true,
      value: { addSourceBy: 'typed-path', sources: [{ path: tasks, format: 'roo', origin: 'added' }] },
    })
  })

  it('bad input: a folder outside home that exists answers exactly as one that does not', async () => {
    const { home, handlers, sources } = host()
    const outsideExisting = samplesDir('roo-code', 'tasks')
    const outsideMissing = join(samplesDir('roo-code'), 'no-such-folder')
    const insideMissing = join(home, 'no-such-folder')
    symlinkSync(outsideExisting, join(home, 'link-out'))
    const attempts = [
      outsideExisting,
      outsideMissing,
      insideMissing,
      join(home, 'link-out'), // a link in home that leads out
      `${home}/../../${outsideExisting}`, // `..` out of home
      '/etc',
    ]
    const answers = await Promise.all(attempts.map((path) => handlers.addSource({ path })))
    const shapes = answers.map((answer, i) => {
      const error = failure(answer)
      return { code: error.code, message: error.message.replace(attempts[i] ?? '', '<path>') }
    })
    expect(new Set(shapes.map((shape) => JSON.stringify(shape))).size).toBe(1)
    expect(shapes[0]).toEqual({
      code: 'INVALID_PATH',
      message: `<path> is not a folder or file Chronicle can read in ${home}.`,
    })
    expect(sources.list()).toHaveLength(0)
  })

  it('bad input: a relative path is refused as not a full path; there is no folder dialog to ask for', async () => {
    const { handlers } = host()
    expect(failure(await handlers.addSource({ path: 'roo/tasks' })).message).toContain('is not a full path')
    expect(failure(await handlers.pickSourceFolder({})).code).toBe('NO_FOLDER_PICKER')
  })
})

describe('pickSourceFolder in the desktop app (a dialog in the main process)', () => {
  it('adds the folder the dialog returns, wherever it is, and nothing when it is cancelled', async () => {
    const outside = samplesDir('roo-code', 'tasks')
    const answers: (string | null)[] = [null, outside]
    const { handlers, sources } = host(async () => answers.shift() ?? null)
    const cancelled = await handlers.pickSourceFolder({})
    expect(cancelled).toMatchObject({ ok: true, value: { addSourceBy: 'folder-picker', sources: [] } })
    const picked = await handlers.pickSourceFolder({ format: 'roo' })
    expect(picked).toMatchObject({ ok: true, value: { sources: [{ path: outside, format: 'roo' }] } })
    expect(sources.list()).toHaveLength(1)
  })

  it('bad input: the page names a path, even one inside home: refused, nothing added', async () => {
    const { tasks, handlers, sources } = host(async () => null)
    expect(failure(await handlers.addSource({ path: tasks })).code).toBe('USE_FOLDER_PICKER')
    expect(sources.list()).toHaveLength(0)
  })
})
