/**
 * Which extension wrote a task folder, from the formats' own rules (FORMATS.md): the storage folder id, the files
 * only one of them writes, the folder name, the first UI row, Cline's API item fields, the task lists.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useScratch } from '../../../repository/test-support/scratch'
import { findTaskUnits } from './task-folders'
import { storageFolderSource, taskSourceOf, UNDECIDED_SOURCE } from './task-source'
import { collect, writeTask } from './test-folders'

const scratch = useScratch()

const UUID = '3f2a9c1e-7b4d-4e8a-9f10-2c3d4e5f6a7b'
const DATE_NOW = '1718000000000'
const UI = 'ui_messages.json'
const API = 'api_conversation_history.json'
const ui = (say: string) => [{ ts: 1718000000000, type: 'say', say, text: 'Fix the build' }]
const api = [
  { role: 'user', content: [{ type: 'text', text: '<task>\nFix the build\n</task>' }] },
  { role: 'assistant', content: [{ type: 'text', text: 'Done.' }] },
]

/** The source decided for a task written into `root`/tasks/`id`, found by scanning `root` as an import does. */
async function sourceOf(root: string, id: string, files: Record<string, unknown>) {
  const dir = writeTask(root, id, files)
  const unit = (await collect(findTaskUnits('content', root))).find((u) => u.key === dir)
  return unit?.problem === UNDECIDED_SOURCE ? undefined : unit?.source
}

describe('storageFolderSource', () => {
  it('knows the storage folder ids as whole path segments, in any case, the nearest one deciding', () => {
    expect(storageFolderSource('/root/.config/Code/User/globalStorage/saoudrizwan.claude-dev/tasks/1')).toBe(
      'cline',
    )
    expect(storageFolderSource('C:\\Users\\a\\globalStorage\\RooVeterinaryInc.Roo-Cline\\tasks\\x')).toBe(
      'roo',
    )
    expect(storageFolderSource('/b/rooveterinaryinc.roo-cline/copy/saoudrizwan.claude-dev/tasks')).toBe(
      'cline',
    )
  })

  it('bad input: a substring of a segment is not the id ("roo" in /root, "cline" in a backup name)', () => {
    expect(storageFolderSource('/root/classroom/cline-backup/tasks/1')).toBeUndefined()
    expect(storageFolderSource('/x/old-saoudrizwan.claude-dev/tasks/1')).toBeUndefined()
  })
})

describe('taskSourceOf', () => {
  it('files a Cline task by its first UI row say:"task", wherever it lies ("roo" in the path included)', async () => {
    for (const place of ['root', 'classroom', 'neutral']) {
      const root = join(scratch.dir(), place)
      expect(await sourceOf(root, DATE_NOW, { [UI]: ui('task'), [API]: api })).toBe('cline')
      expect(await sourceOf(root, 'renamed', { [UI]: ui('task') })).toBe('cline')
    }
  })

  it('files a Roo task by its UUID name or history_item.json, under a path full of "cline"', async () => {
    const root = join(scratch.dir(), 'cline', 'claude-dev-copy')
    expect(await sourceOf(root, UUID, { [UI]: ui('text'), [API]: api })).toBe('roo')
    expect(await sourceOf(root, 'renamed', { [API]: api, 'history_item.json': { id: 'renamed' } })).toBe(
      'roo',
    )
  })

  it("files by Cline's own task files and API item fields", async () => {
    const root = scratch.dir()
    expect(await sourceOf(root, 'a', { [API]: api, 'context_history.json': [] })).toBe('cline')
    expect(await sourceOf(root, 'b', { [API]: api, 'settings.json': {} })).toBe('cline')
    const withMetrics = [api[0], { ...api[1], modelInfo: { modelId: 'm' }, metrics: { cost: 0.1 } }]
    expect(await sourceOf(root, 'c', { [API]: withMetrics })).toBe('cline')
  })

  it('asks the task lists beside tasks/ only when the task itself does not tell', async () => {
    const roo = scratch.dir()
    writeTask(roo, 'x', {})
    writeFileSync(join(roo, 'tasks', '_index.json'), '[]')
    expect(await sourceOf(roo, 'plain', { [API]: api })).toBe('roo')
    expect(await sourceOf(roo, 'copied', { [UI]: ui('task') })).toBe('cline')
    const cline = scratch.dir()
    mkdirSync(join(cline, 'state'))
    writeFileSync(join(cline, 'state', 'taskHistory.json'), '[]')
    writeTask(cline, 'x', {})
    expect(await sourceOf(cline, 'plain', { [API]: api })).toBe('cline')
  })

  it('takes usual but uncertain evidence alone, and nothing from it when it contradicts itself', async () => {
    const root = scratch.dir()
    expect(await sourceOf(root, 'renamed', { [UI]: ui('text') })).toBe('roo')
    expect(await sourceOf(root, DATE_NOW, { [API]: api })).toBe('cline')
    // Early Roo named tasks by Date.now(), and early Cline's first row was say:"text": either may have written it.
    expect(await sourceOf(root, '1700000000000', { [UI]: ui('text') })).toBeUndefined()
  })

  it('bad input: a task with only an API history and no telling name is undecided, not guessed', async () => {
    expect(await sourceOf(scratch.dir(), 'my-task', { [API]: api })).toBeUndefined()
    expect(await sourceOf(scratch.dir(), 'empty', { [API]: '[]', [UI]: 'not json' })).toBeUndefined()
  })

  it('reads the UI log only when the names do not tell', async () => {
    const dir = writeTask(scratch.dir(), UUID, {})
    // A first row of say:"task" would say Cline; the UUID name decides before any file is opened.
    const names = new Set([UI])
    const storage = { rooIndex: false, clineHistory: false }
    writeFileSync(join(dir, UI), JSON.stringify(ui('task')))
    expect(await taskSourceOf({ dir, names, storage, ui: join(dir, UI) })).toBe('roo')
  })
})

describe('findTaskUnits by content', () => {
  it('files each task of a mixed folder under its own source', async () => {
    const root = scratch.dir()
    writeTask(root, DATE_NOW, { [UI]: ui('task'), [API]: api })
    writeTask(root, UUID, { [UI]: ui('text'), [API]: api })
    const units = await collect(findTaskUnits('content', root))
    expect(units.map((u) => [u.key.slice(root.length), u.source])).toEqual([
      [`/tasks/${DATE_NOW}`, 'cline'],
      [`/tasks/${UUID}`, 'roo'],
    ])
  })

  it('bad input: an undecided task is a problem naming --source roo and --source cline; the rest go on', async () => {
    const root = scratch.dir()
    writeTask(root, 'my-task', { [API]: api })
    writeTask(root, DATE_NOW, { [UI]: ui('task') })
    const units = await collect(findTaskUnits('content', root))
    expect(units).toEqual([
      expect.objectContaining({ key: join(root, 'tasks', DATE_NOW), source: 'cline' }),
      expect.objectContaining({ key: join(root, 'tasks', 'my-task'), files: [], problem: UNDECIDED_SOURCE }),
    ])
    expect(UNDECIDED_SOURCE).toContain('--source roo or --source cline')
  })

  it('follows a given source over anything the content says', async () => {
    const root = scratch.dir()
    writeTask(root, UUID, { [UI]: ui('text'), 'history_item.json': {} })
    expect((await collect(findTaskUnits('cline', root))).map((u) => u.source)).toEqual(['cline'])
  })
})
