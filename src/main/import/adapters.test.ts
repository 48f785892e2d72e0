/**
 * Which source a place's tasks are filed under: Roo Code and Cline task folders are told apart by their content
 * (task-source.ts), never by a substring of the path, through the targets `chronicle import PATH` reads.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Repository } from '../repository/repository'
import { useScratch } from '../repository/test-support/scratch'
import type { Source } from '../../shared/domain'
import { detectFormats, targetsForPath } from './adapters'
import { importSources } from './import-engine'
import { writeTask } from './sources/roo-cline/test-folders'
import { UNDECIDED_SOURCE } from './sources/roo-cline/task-source'

const scratch = useScratch()

const CLINE_TASK = '1718000000000'
const ROO_TASK = '3f2a9c1e-7b4d-4e8a-9f10-2c3d4e5f6a7b'
const files = (firstSay: 'task' | 'text') => ({
  'ui_messages.json': [
    { ts: 1718000000000, type: 'say', say: firstSay, text: 'Fix the build' },
    { ts: 1718000001000, type: 'say', say: 'text', text: 'Done.' },
  ],
  'api_conversation_history.json': [
    { role: 'user', content: [{ type: 'text', text: '<task>\nFix the build\n</task>' }] },
    { role: 'assistant', content: [{ type: 'text', text: 'Done.' }] },
  ],
})
/** A Cline task as Cline writes it: a Date.now() folder whose first UI row is say:"task". */
const clineTask = (root: string) => writeTask(root, CLINE_TASK, files('task'))
/** A Roo task as Roo writes it: a UUID folder whose first UI row is say:"text". */
const rooTask = (root: string) => writeTask(root, ROO_TASK, files('text'))

const importPath = (repo: Repository, path: string, source?: Source) =>
  importSources(repo, targetsForPath(path, source))

const conversations = (repo: Repository) =>
  repo.db.selectFrom('conversations').select(['id', 'source']).orderBy('id').execute()

describe('importing Roo Code and Cline task folders by their content', () => {
  it('files the same Cline task as cline:<id>, one conversation, from /root/..., classroom and a neutral folder', async () => {
    const base = scratch.dir()
    // Each of these paths holds "roo" or no name at all: a path substring once filed the task as Roo Code.
    const places = [
      join(base, 'root', '.config', 'Code', 'User', 'globalStorage', 'saoudrizwan.claude-dev'),
      join(base, 'root', 'backup'),
      join(base, 'classroom', 'tasks-copy'),
      join(base, 'neutral'),
    ]
    const repo = scratch.open()
    for (const place of places) {
      clineTask(place)
      const summary = await importPath(repo, place)
      expect(summary.problems).toEqual([])
    }
    expect(await conversations(repo)).toEqual([{ id: `cline:${CLINE_TASK}`, source: 'cline' }])
  })

  it('keeps a Roo task under a path naming Cline as Roo Code', async () => {
    const place = join(scratch.dir(), 'cline', 'saoudrizwan.claude-dev-backup')
    rooTask(place)
    const repo = scratch.open()
    await importPath(repo, place)
    expect(await conversations(repo)).toEqual([{ id: `roo:${ROO_TASK}`, source: 'roo' }])
  })

  it('files each task of a folder holding both kinds under its own source', async () => {
    const place = scratch.dir()
    clineTask(place)
    rooTask(place)
    const repo = scratch.open()
    expect((await importPath(repo, place)).problems).toEqual([])
    expect(await conversations(repo)).toEqual([
      { id: `cline:${CLINE_TASK}`, source: 'cline' },
      { id: `roo:${ROO_TASK}`, source: 'roo' },
    ])
  })

  it('follows --source over what the content says', async () => {
    const place = scratch.dir()
    clineTask(place)
    rooTask(place)
    const repo = scratch.open()
    await importPath(repo, place, 'roo')
    expect((await conversations(repo)).map((c) => c.source)).toEqual(['roo', 'roo'])
  })

  it('bad input: a task nothing tells is reported with its path and the choices, and the others are imported', async () => {
    const place = scratch.dir()
    clineTask(place)
    const unknown = writeTask(place, 'my-task', {
      'api_conversation_history.json': files('task')['api_conversation_history.json'],
    })
    const repo = scratch.open()
    const summary = await importPath(repo, place)
    expect(summary.problems).toEqual([{ path: unknown, reason: UNDECIDED_SOURCE, retryable: false }])
    expect(summary.problems[0]?.reason).toMatch(/--source roo or --source cline/)
    expect(await conversations(repo)).toEqual([{ id: `cline:${CLINE_TASK}`, source: 'cline' }])
    await importPath(repo, unknown, 'cline')
    expect((await conversations(repo)).map((c) => c.id)).toEqual([`cline:${CLINE_TASK}`, 'cline:my-task'])
  })
})

describe('detectFormats (one format for a folder the app adds)', () => {
  const taskStorage = (folder: string, task = 'task-1'): string => {
    const storage = join(scratch.dir(), folder)
    mkdirSync(join(storage, 'tasks', task), { recursive: true })
    writeFileSync(join(storage, 'tasks', task, 'ui_messages.json'), '[]')
    return storage
  }

  it("reads the extensions' storage folders by their ids, whole segments only", () => {
    expect(detectFormats(taskStorage('rooveterinaryinc.roo-cline'))).toEqual(['roo'])
    expect(detectFormats(join(taskStorage('rooveterinaryinc.roo-cline'), 'tasks'))).toEqual(['roo'])
    expect(detectFormats(taskStorage('saoudrizwan.claude-dev'))).toEqual(['cline'])
  })

  it('names that do not tell give the per-task format (each task by its content) instead of a guess', () => {
    expect(detectFormats(taskStorage('root'))).toEqual(['roo-or-cline'])
    expect(detectFormats(taskStorage('backup', ROO_TASK))).toEqual(['roo'])
  })

  it('follows --source over any name', () => {
    expect(detectFormats(taskStorage('rooveterinaryinc.roo-cline'), 'cline')).toEqual(['cline', 'cline-sdk'])
  })
})
