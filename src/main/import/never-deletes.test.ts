/**
 * An import never deletes what the user had (issue 21), with the tiny format (test-support/tiny-adapter.ts), real
 * files and a real repository: messages a source no longer holds stay, in place and marked; a complete read
 * restores them; an older read only adds; two units carrying one conversation never drop each other's messages;
 * a read that stopped early is reported and read again.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openRepository, type Repository } from '../repository/repository'
import { importSources, type ImportTarget } from './import-engine'
import { makeTinyAdapter } from './test-support/tiny-adapter'

let root: string
let repo: Repository
const reads: string[] = []
const target = (): ImportTarget[] => [{ path: join(root, 'sources'), adapter: makeTinyAdapter(reads) }]
let mtime = 1_700_000_000
const writeSource = (name: string, doc: unknown) => {
  const path = join(root, 'sources', name)
  writeFileSync(path, JSON.stringify(doc))
  mtime += 100 // every write looks changed to the fingerprint
  utimesSync(path, mtime, mtime)
}
const keyed = (...keys: string[]) => keys.map((key) => ({ key, text: `message ${key}` }))

/** The conversation's messages in order: [key, in source?]. */
async function held(id = 'chatgpt:a'): Promise<[string, boolean][]> {
  const rows = await repo.db
    .selectFrom('messages')
    .select(['id', 'left_source_at'])
    .where('conversation_id', '=', id)
    .orderBy('ordinal')
    .execute()
  return rows.map((r) => [r.id.slice(r.id.indexOf('#') + 1), r.left_source_at === null])
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'chronicle-never-deletes-'))
  mkdirSync(join(root, 'sources'))
  repo = openRepository({ dataDir: join(root, 'data') })
  reads.length = 0
})
afterEach(async () => {
  await repo.close()
  rmSync(root, { recursive: true, force: true })
})

describe('an import never deletes', () => {
  it('a source that lost its middle (condensed) keeps those messages in place, marked; a complete read restores them', async () => {
    writeSource('a.json', { title: 'A', messages: keyed('1', '2', '3', '4', '5') })
    await importSources(repo, target())
    writeSource('a.json', { title: 'A', messages: keyed('1', 'S', '5', '6') })
    const condensed = await importSources(repo, target())
    expect(condensed.messages).toMatchObject({ added: 2, gone: 3, removed: 0 })
    // Where they were: after the message they followed, so before the summary that replaced them.
    expect(await held()).toEqual([
      ['1', true],
      ['2', false],
      ['3', false],
      ['4', false],
      ['S', true],
      ['5', true],
      ['6', true],
    ])
    // The lost messages are still found by search.
    const hits = await repo.search('"message 3"')
    expect(hits.ok && hits.value.hits.map((h) => h.messageId)).toContain('chatgpt:a#3')

    writeSource('a.json', { title: 'A', messages: keyed('1', '2', '3', '4', 'S', '5', '6') })
    const complete = await importSources(repo, target())
    expect(complete.messages).toMatchObject({ added: 0, removed: 0, gone: 0 })
    expect(await held()).toEqual(['1', '2', '3', '4', 'S', '5', '6'].map((k) => [k, true]))
    const ordinals = await repo.db
      .selectFrom('messages')
      .select('ordinal')
      .where('conversation_id', '=', 'chatgpt:a')
      .orderBy('ordinal')
      .execute()
    expect(ordinals.map((r) => r.ordinal)).toEqual([0, 1, 2, 3, 4, 5, 6])
  })

  it('an older read (an earlier export) only adds: it never marks, renames or rewrites what a newer one gave', async () => {
    writeSource('new.json', {
      id: 'a',
      title: 'Newer title',
      updatedAt: 2_000,
      messages: keyed('1', '2', '3', '4'),
    })
    await importSources(repo, target())
    rmSync(join(root, 'sources', 'new.json'))
    writeSource('old.json', {
      id: 'a',
      title: 'Older title',
      updatedAt: 1_000,
      messages: [
        ...keyed('1', '2'),
        { key: 'x', text: 'only in the older export' },
        { key: '3', text: 'edited' },
      ],
    })
    const older = await importSources(repo, target())
    expect(older.conversations).toMatchObject({ updated: 0 })
    // The two after the added one move down a place: their only change.
    expect(older.messages).toMatchObject({ added: 1, updated: 2, gone: 0 })
    expect(await held()).toEqual(['1', '2', 'x', '3', '4'].map((k) => [k, true]))
    const conversation = await repo.getConversation('chatgpt:a')
    expect(conversation.ok && conversation.value?.conversation.title).toBe('Newer title')
    const third = await repo.db
      .selectFrom('messages')
      .select('text')
      .where('id', '=', 'chatgpt:a#3')
      .executeTakeFirst()
    expect(third?.text).toBe('message 3')
  })

  it('two units carrying one conversation merge by message id and never drop or mark each other’s messages', async () => {
    writeSource('desktop.json', { id: 'a', title: 'A', updatedAt: 5, messages: keyed('1', '2', '3') })
    writeSource('laptop.json', { id: 'a', title: 'A', updatedAt: 5, messages: keyed('1', '2', 'x') })
    const summary = await importSources(repo, target())
    expect(summary.messages).toMatchObject({ gone: 0, removed: 0 })
    expect(await held()).toEqual(['1', '2', '3', 'x'].map((k) => [k, true]))
  })

  it('messages imported under positional ids are renamed to their source keys, not shown twice', async () => {
    writeSource('a.json', { title: 'A', messages: ['message p', 'message q', 'message r'] })
    await importSources(repo, target())
    writeSource('a.json', { title: 'A', messages: keyed('p', 'q', 'r', 's') })
    const summary = await importSources(repo, target())
    expect(summary.messages).toMatchObject({ gone: 0 })
    expect(await held()).toEqual(['p', 'q', 'r', 's'].map((k) => [k, true]))
  })

  it('bad input: a read that stopped early is listed as a problem, kept, and read again next time', async () => {
    writeSource('a.json', {
      title: 'A',
      messages: ['one'],
      problems: [{ reason: 'stops after 1 conversation (unexpected end of file)', retryable: true }],
    })
    const first = await importSources(repo, target())
    expect(first.problems).toEqual([
      {
        path: join(root, 'sources', 'a.json'),
        reason: 'stops after 1 conversation (unexpected end of file)',
        retryable: true,
      },
    ])
    expect(await held()).toEqual([['0', true]])
    const unit = await repo.db
      .selectFrom('import_units')
      .select(['status', 'error'])
      .executeTakeFirstOrThrow()
    expect(unit).toEqual({ status: 'retry', error: 'stops after 1 conversation (unexpected end of file)' })
    reads.length = 0
    const again = await importSources(repo, target())
    expect(reads).toEqual(['a.json']) // unchanged files, but read again
    expect(again.problems).toHaveLength(1)
  })
})
