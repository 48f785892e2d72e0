/**
 * The engine's rules with a deliberately tiny format (test-support/tiny-adapter.ts), real files and a real
 * repository: unchanged units are not read, changes are exact, bad units are reported and
 * skipped, and the bookkeeping never claims what was not written.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openRepository, type Repository } from '../repository/repository'
import { importSources, type ImportTarget } from './import-engine'
import { changeCount } from './test-support/repository-helpers'
import { makeTinyAdapter } from './test-support/tiny-adapter'

let root: string
let repo: Repository
const reads: string[] = []
const tinyAdapter = makeTinyAdapter(reads)

const sources = () => join(root, 'sources')
const target = (): ImportTarget[] => [{ path: sources(), adapter: tinyAdapter }]
const writeSource = (name: string, doc: unknown, mtimeSeconds = 1_700_000_000) => {
  const path = join(sources(), name)
  writeFileSync(path, typeof doc === 'string' ? doc : JSON.stringify(doc))
  utimesSync(path, mtimeSeconds, mtimeSeconds)
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'chronicle-import-'))
  mkdirSync(sources())
  repo = openRepository({ dataDir: join(root, 'data') })
  reads.length = 0
})
afterEach(async () => {
  await repo.close()
  rmSync(root, { recursive: true, force: true })
})

describe('import engine', () => {
  it('imports new units and counts exactly what it wrote', async () => {
    writeSource('a.json', { title: 'A', messages: ['one', 'two', 'three'] })
    writeSource('b.json', { title: 'B', messages: ['four'] })
    const summary = await importSources(repo, target())
    expect(summary.conversations).toEqual({ added: 2, updated: 0, unchanged: 0, removed: 0, gone: 0 })
    expect(summary.messages).toEqual({ added: 4, updated: 0, unchanged: 0, removed: 0, gone: 0 })
    expect(summary.unitsRead).toBe(2)
    expect((await repo.search('three')).ok).toBe(true)
  })

  it('a re-import of unchanged sources reads nothing and writes nothing', async () => {
    writeSource('a.json', { title: 'A', messages: ['one', 'two'] })
    await importSources(repo, target())
    const changes = await changeCount(repo)
    reads.length = 0
    const again = await importSources(repo, target())
    expect(reads).toEqual([])
    expect(again.unitsUnchanged).toBe(1)
    expect(again.conversations).toEqual({ added: 0, updated: 0, unchanged: 1, removed: 0, gone: 0 })
    expect(again.messages).toEqual({ added: 0, updated: 0, unchanged: 2, removed: 0, gone: 0 })
    expect(await changeCount(repo)).toBe(changes)
  })

  it('a touched file with the same content is read again but writes nothing', async () => {
    writeSource('a.json', { title: 'A', messages: ['one', 'two'] })
    await importSources(repo, target())
    const changes = await changeCount(repo)
    writeSource('a.json', { title: 'A', messages: ['one', 'two'] }, 1_800_000_000)
    const again = await importSources(repo, target())
    expect(reads).toEqual(['a.json', 'a.json'])
    expect(again.messages).toEqual({ added: 0, updated: 0, unchanged: 2, removed: 0, gone: 0 })
    expect(await changeCount(repo)).toBe(changes)
  })

  it('a changed unit updates only what changed, and a shorter one keeps the messages it lost, marked', async () => {
    writeSource('a.json', { title: 'A', messages: ['one', 'two', 'three'] })
    await importSources(repo, target())
    writeSource('a.json', { title: 'A renamed', messages: ['one', 'TWO'] }, 1_800_000_000)
    const summary = await importSources(repo, target())
    expect(summary.conversations).toEqual({ added: 0, updated: 1, unchanged: 0, removed: 0, gone: 0 })
    expect(summary.messages).toEqual({ added: 0, updated: 1, unchanged: 1, removed: 0, gone: 1 })
    const got = await repo.getConversation('chatgpt:a')
    const items = got.ok ? (got.value?.messages.items ?? []) : []
    expect(items.map((m) => [m.text, m.leftSourceAt !== null])).toEqual([
      ['one', false],
      ['TWO', false],
      ['three', true],
    ])
  })

  it('bad input: a corrupt unit is reported with its path, the others are imported, nothing is lost', async () => {
    writeSource('a.json', { title: 'A', messages: ['alpha'] })
    await importSources(repo, target())
    writeSource('a.json', '{"title": "A", "messages": [}', 1_800_000_000)
    writeSource('b.json', { title: 'B', messages: ['beta'] })
    const summary = await importSources(repo, target())
    expect(summary.problems).toEqual([
      { path: join(sources(), 'a.json'), reason: 'is not valid JSON', retryable: false },
    ])
    expect(summary.conversations.added).toBe(1)
    const kept = await repo.getConversation('chatgpt:a')
    expect(kept.ok && kept.value?.messages.items.map((m) => m.text)).toEqual(['alpha'])
    const row = await repo.db
      .selectFrom('import_units')
      .selectAll()
      .where('unit', '=', join(sources(), 'a.json'))
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({ status: 'failed', error: 'is not valid JSON' })
    // Once fixed, it imports.
    writeSource('a.json', { title: 'A', messages: ['alpha', 'gamma'] }, 1_900_000_000)
    expect((await importSources(repo, target())).messages.added).toBe(1)
  })

  it('bad input: a unit the database refuses is reported alone; the units written with it in one group are kept', async () => {
    writeSource('a.json', { title: 'A', messages: ['one'] })
    writeSource('b.json', { title: 'invalid role', messages: ['two'] })
    writeSource('c.json', { title: 'C', messages: ['three'] })
    const summary = await importSources(repo, target())
    expect(summary.problems).toEqual([
      expect.objectContaining({
        path: join(sources(), 'b.json'),
        reason: expect.stringMatching(/^could not be written \(CHECK constraint failed/),
      }),
    ])
    expect(summary.conversations.added).toBe(2)
    expect(summary.messages).toEqual({ added: 2, updated: 0, unchanged: 0, removed: 0, gone: 0 })
    expect((await repo.getConversation('chatgpt:c')).ok).toBe(true)
    expect(await repo.db.selectFrom('conversations').select('id').orderBy('id').execute()).toEqual([
      { id: 'chatgpt:a' },
      { id: 'chatgpt:c' },
    ])
  })

  it('bad input: a root that does not exist is reported, not thrown', async () => {
    const summary = await importSources(repo, [{ path: join(root, 'missing'), adapter: tinyAdapter }])
    expect(summary.problems).toEqual([expect.objectContaining({ path: join(root, 'missing') })])
  })

  it('bad input: a directory where a unit file is expected is reported by the fingerprint', async () => {
    mkdirSync(join(sources(), 'dir.json'))
    const summary = await importSources(repo, target())
    expect(summary.problems).toEqual([
      { path: join(sources(), 'dir.json'), reason: 'is not a regular file', retryable: false },
    ])
  })
})
