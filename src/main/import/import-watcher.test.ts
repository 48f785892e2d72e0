/** Live import with a real recursive watcher, real files and a real repository. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openRepository, type Repository } from '../repository/repository'
import type { ImportSummary } from './import-summary'
import { watchSources, type ImportWatcher } from './import-watcher'
import { makeTinyAdapter } from './test-support/tiny-adapter'

let root: string
let repo: Repository
let watcher: ImportWatcher | null = null
const summaries: ImportSummary[] = []
let waiters: (() => void)[] = []

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'chronicle-watch-'))
  mkdirSync(join(root, 'sources'))
  repo = openRepository({ dataDir: join(root, 'data') })
  summaries.length = 0
  waiters = []
})
afterEach(async () => {
  await watcher?.close()
  watcher = null
  await repo.close()
  rmSync(root, { recursive: true, force: true })
})

function start(retryMs = 100) {
  const target = { path: join(root, 'sources'), adapter: makeTinyAdapter([]) }
  watcher = watchSources(repo, [target], {
    debounceMs: 50,
    retryMs,
    onImport: (_, summary) => {
      summaries.push(summary)
      for (const wake of waiters.splice(0)) wake()
    },
  })
}

/** Resolves at the first import whose summary satisfies `done` (the watcher's own signal, not a sleep). */
function importWhere(done: (s: ImportSummary) => boolean): Promise<ImportSummary> {
  return new Promise((resolve) => {
    const check = () => {
      const hit = summaries.find(done)
      if (hit) resolve(hit)
      else waiters.push(check)
    }
    check()
  })
}

const messageTexts = async (id: string) => {
  const got = await repo.getConversation(id)
  return got.ok ? (got.value?.messages.items.map((m) => m.text) ?? []) : []
}

describe('import watcher', () => {
  it('imports what exists at start, then a message appended to a source within a second', async () => {
    writeFileSync(join(root, 'sources', 'a.json'), JSON.stringify({ title: 'A', messages: ['first'] }))
    start()
    await importWhere((s) => s.messages.added === 1)
    const written = Date.now()
    writeFileSync(
      join(root, 'sources', 'a.json'),
      JSON.stringify({ title: 'A', messages: ['first', 'second'] }),
    )
    await importWhere((s) => s.messages.added === 1 && s.messages.unchanged === 1)
    expect(Date.now() - written).toBeLessThan(1_000)
    expect(await messageTexts('chatgpt:a')).toEqual(['first', 'second'])
  })

  it('imports a new source file as it appears', async () => {
    start()
    await importWhere(() => true)
    writeFileSync(join(root, 'sources', 'b.json'), JSON.stringify({ title: 'B', messages: ['bee'] }))
    await importWhere((s) => s.conversations.added === 1)
    expect(await messageTexts('chatgpt:b')).toEqual(['bee'])
  })

  it('bad input: a half-written file is reported as retryable and imported once complete', async () => {
    start()
    await importWhere(() => true)
    writeFileSync(join(root, 'sources', 'c.json'), '{"title": "C", "messages": ["half')
    const partial = await importWhere((s) => s.problems.length === 1)
    expect(partial.problems[0], JSON.stringify(partial.problems)).toMatchObject({ retryable: true })
    writeFileSync(join(root, 'sources', 'c.json'), JSON.stringify({ title: 'C', messages: ['whole'] }))
    await importWhere((s) => s.conversations.added === 1)
    expect(await messageTexts('chatgpt:c')).toEqual(['whole'])
  })

  it('bad input: a file left half-written for good is tried again less and less often, not every retry pause', async () => {
    writeFileSync(join(root, 'sources', 'd.json'), '{"title": "D", "messages": ["abandoned')
    start(10)
    await importWhere((s) => s.problems.length === 1)
    await new Promise((resolve) => setTimeout(resolve, 1_200))
    // Pauses of 10, 20, 40, … ms: about 7 tries in 1.2 s; a fixed pause of 10 ms would make dozens.
    const tries = summaries.filter((s) => s.problems.some((p) => p.retryable)).length
    expect(tries).toBeGreaterThan(1)
    expect(tries).toBeLessThanOrEqual(9)
    // Finished at last: the file's event imports it without waiting for the long pause.
    writeFileSync(join(root, 'sources', 'd.json'), JSON.stringify({ title: 'D', messages: ['done'] }))
    await importWhere((s) => s.conversations.added === 1)
    expect(await messageTexts('chatgpt:d')).toEqual(['done'])
  })
})
