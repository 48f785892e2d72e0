/** The app's sources with real sample files, a real repository and a real sources.json. */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ImportJobStatus } from '../../shared/api/contract'
import { openRepository, type Repository } from '../repository/repository'
import type { DiscoveredLocation } from './discovery'
import { startImportSources, type ImportSources } from './import-sources'
import { SOURCES_FILE } from './source-settings'
import { samplesDir } from './test-support/samples'

let root: string
let dataDir: string
let repo: Repository
let sources: ImportSources | null = null
let found: DiscoveredLocation[]
const logged: string[] = []

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'chronicle-sources-'))
  dataDir = join(root, 'data')
  repo = openRepository({ dataDir })
  // A copy, so the watcher may watch it and the test may change it.
  cpSync(samplesDir('claude-code', 'projects'), join(root, 'claude'), { recursive: true })
  cpSync(samplesDir('roo-code', 'tasks'), join(root, 'roo', 'tasks'), { recursive: true })
  found = [{ source: 'claude-code', format: 'claude-code', path: join(root, 'claude') }]
  logged.length = 0
})
afterEach(async () => {
  await sources?.close()
  sources = null
  await repo.close()
  rmSync(root, { recursive: true, force: true })
})

const start = () =>
  (sources = startImportSources({
    repository: repo,
    dataDir,
    log: (line) => logged.push(line),
    discover: () => found,
    watch: false,
  }))

async function finished(s: ImportSources, job: ImportJobStatus): Promise<ImportJobStatus> {
  for (;;) {
    const status = s.jobs.status(job.jobId)
    if (status && status.state !== 'running') return status
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('the list of sources', () => {
  it('holds what was found and what the user added, and remembers changes across restarts', async () => {
    const s = start()
    expect(s.list()).toEqual([
      expect.objectContaining({
        path: join(root, 'claude'),
        origin: 'found',
        enabled: true,
        available: true,
      }),
    ])
    expect(s.add(join(root, 'roo'))).toEqual({ ok: true, value: undefined })
    expect(s.setEnabled(join(root, 'claude'), false).ok).toBe(true)
    await s.close()

    const again = start()
    expect(again.list().map((x) => [x.path, x.format, x.origin, x.enabled])).toEqual([
      [join(root, 'claude'), 'claude-code', 'found', false],
      [join(root, 'roo'), 'roo', 'added', true],
    ])
    // A found source removed stays removed, though discovery finds it again.
    expect(again.remove(join(root, 'claude')).ok).toBe(true)
    expect(again.list().map((x) => x.path)).toEqual([join(root, 'roo')])
  })

  it('refuses paths that are not full, not there, hold no history, or are already sources (bad input)', () => {
    const s = start()
    expect(s.add('relative/path')).toMatchObject({ ok: false, error: { code: 'INVALID_PATH' } })
    expect(s.add(join(root, 'nowhere'))).toMatchObject({ ok: false, error: { code: 'INVALID_PATH' } })
    writeFileSync(join(root, 'notes.txt'), 'not a history')
    expect(s.add(join(root, 'notes.txt'))).toMatchObject({ ok: false, error: { code: 'NO_HISTORY_FOUND' } })
    expect(s.add(join(root, 'claude'))).toMatchObject({ ok: false, error: { code: 'ALREADY_A_SOURCE' } })
    expect(s.remove(join(root, 'nowhere'))).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })

  it('sets an unreadable sources.json aside and starts from what was found (bad input: a corrupt file)', () => {
    writeFileSync(join(dataDir, SOURCES_FILE), '{"version": 1, "added": [')
    const s = start()
    expect(s.problem).toMatch(/was not readable and was kept as .*unreadable-/)
    expect(s.list()).toHaveLength(1)
    expect(existsSync(join(dataDir, SOURCES_FILE))).toBe(false)
    // The next change writes a good file again.
    expect(s.add(join(root, 'roo')).ok).toBe(true)
    expect(JSON.parse(readFileSync(join(dataDir, SOURCES_FILE), 'utf8'))).toMatchObject({ version: 1 })
  })
})

describe('a folder of Roo Code or Cline tasks whose names do not tell which', () => {
  it('is added as read task by task, and a Cline task in it is filed as Cline', async () => {
    // A neutral folder: no storage folder id, no task list, no telling task name; only the first row (say:"task").
    const task = join(root, 'backup', 'tasks', 'fix-the-build')
    mkdirSync(task, { recursive: true })
    writeFileSync(
      join(task, 'ui_messages.json'),
      JSON.stringify([{ ts: 1718000000000, type: 'say', say: 'task', text: 'Fix the build' }]),
    )
    const s = start()
    expect(s.add(join(root, 'backup'))).toEqual({ ok: true, value: undefined })
    expect(s.list()).toContainEqual(
      expect.objectContaining({ path: join(root, 'backup'), format: 'roo-or-cline' }),
    )
    const started = s.jobs.start(join(root, 'backup'))
    if (!started.ok) throw new Error(started.error.message)
    expect(await finished(s, started.value)).toMatchObject({ state: 'done', error: null })
    const rows = await repo.db.selectFrom('conversations').select(['id', 'source']).execute()
    expect(rows).toEqual([{ id: 'cline:fix-the-build', source: 'cline' }])
  })
})

describe('watching', () => {
  it('watches a source as soon as it is added, and stops when it is paused', async () => {
    const s = (sources = startImportSources({
      repository: repo,
      dataDir,
      log: () => undefined,
      discover: () => [],
      watchOptions: { debounceMs: 20, retryMs: 50 },
    }))
    expect(s.watching()).toEqual([])
    s.add(join(root, 'roo'))
    expect(s.watching()).toEqual([join(root, 'roo')])
    // The new watcher imports what is there when it starts.
    for (let i = 0; i < 200 && (await repo.stats()).totals.conversations < 2; i++)
      await new Promise((r) => setTimeout(r, 25))
    expect((await repo.stats()).totals.conversations).toBe(2)
    s.setEnabled(join(root, 'roo'), false)
    expect(s.watching()).toEqual([])
    expect(s.list()[0]).toMatchObject({ enabled: false, watching: false })
  })
})

describe('import now', () => {
  it('imports every enabled source with progress counted against the units there are', async () => {
    const s = start()
    s.add(join(root, 'roo'))
    const started = s.jobs.start(null)
    if (!started.ok) throw new Error(started.error.message)
    const done = await finished(s, started.value)
    expect(done).toMatchObject({ state: 'done', error: null })
    expect(done.unitsTotal).toBeGreaterThan(3)
    expect(done.unitsDone).toBe(done.unitsTotal)
    expect(done.added.conversations).toBe((await repo.stats()).totals.conversations)
    expect(done.added.messages).toBeGreaterThan(50)
    expect(s.list().every((x) => x.lastImport !== null)).toBe(true)

    // Again: nothing new to add.
    const again = s.jobs.start(join(root, 'roo'))
    if (!again.ok) throw new Error(again.error.message)
    expect(await finished(s, again.value)).toMatchObject({ state: 'done', added: { conversations: 0 } })
  })

  it('stops when cancelled before it reads a unit, and a later run imports everything', async () => {
    const s = start()
    const started = s.jobs.start(join(root, 'claude'))
    if (!started.ok) throw new Error(started.error.message)
    // Cancelled while the units are being counted: nothing is read.
    s.jobs.cancel(started.value.jobId)
    expect(await finished(s, started.value)).toMatchObject({ state: 'cancelled', unitsDone: 0 })
    expect((await repo.stats()).totals.conversations).toBe(0)
    const full = s.jobs.start(join(root, 'claude'))
    if (!full.ok) throw new Error(full.error.message)
    const done = await finished(s, full.value)
    expect(done.state).toBe('done')
    expect((await repo.stats()).totals.conversations).toBe(done.added.conversations)
    expect(done.added.conversations).toBeGreaterThan(3)
  })

  it('answers NOT_FOUND for a path that is not a source', () => {
    expect(start().jobs.start(join(root, 'elsewhere'))).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    })
  })
})
