/**
 * A growing session is read on from where the last import stopped: importing a real session file as it grows,
 * cut at line boundaries and in the middle of lines, must end with exactly the rows of one import of the finished
 * file, while each import reads only what was appended. A rewritten or truncated file is read again from the start.
 */
import { readFileSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openRepository, type Repository } from '../../../repository/repository'
import { importSources } from '../../import-engine'
import { samplesDir } from '../../test-support/samples'
import { makeClaudeCodeAdapter } from './index'
import { tempProject, type TempProject } from './test-session'

const SAMPLE = join(
  samplesDir('claude-code', 'projects'),
  '-experiments-ideas',
  '03eb5929-52b3-4b13-ada3-b93ae35806b8.jsonl',
)
const FULL = readFileSync(SAMPLE)
const NAME = '03eb5929-52b3-4b13-ada3-b93ae35806b8.jsonl'
/** Messages in the sample: 61 lines, of which some are bookkeeping. */
const MESSAGES = 41
/** API responses in the sample: 22 assistant lines with usage, of 9 distinct message.id and requestId. */
const RESPONSES = 9

let project: TempProject
const repos: Repository[] = []
beforeEach(() => {
  project = tempProject()
})
afterEach(async () => {
  for (const repo of repos.splice(0)) await repo.close()
  project.remove()
})

const newRepository = (name: string) => {
  const repo = openRepository({ dataDir: join(project.root, name) })
  repos.push(repo)
  return repo
}

/** Every column the importer writes, so "equal" means the same rows. */
async function rowsOf(repo: Repository) {
  const conversations = await repo.db
    .selectFrom('conversations')
    .select(['id', 'title', 'workspace', 'model', 'created_at', 'updated_at', 'tokens_in', 'tokens_out'])
    .select(['cache_writes', 'cache_reads', 'parent_id', 'metadata'])
    .orderBy('id')
    .execute()
  const messages = await repo.db
    .selectFrom('messages')
    .select(['id', 'conversation_id', 'ordinal', 'role', 'kind', 'created_at', 'text', 'content'])
    .select(['parent_id', 'metadata'])
    .orderBy('id')
    .execute()
  const usage = await repo.db
    .selectFrom('usage')
    .selectAll()
    .orderBy(['conversation_id', 'response_key'])
    .execute()
  return { conversations, messages, usage }
}

async function changesBy(repo: Repository, entity: 'message', op: 'insert' | 'update'): Promise<number> {
  const row = await repo.db
    .selectFrom('changes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('entity', '=', entity)
    .where('op', '=', op)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

const importInto = (repo: Repository) =>
  importSources(repo, [{ path: project.root, adapter: makeClaudeCodeAdapter() }])

/** Offsets just past each newline of the sample: the ends of its lines. */
const lineEnds = (): number[] => [...FULL.entries()].filter(([, byte]) => byte === 0x0a).map(([i]) => i + 1)

describe('claude code sessions read on from the last import', () => {
  it('a session imported while it grows ends with the rows of one import of the finished file', async () => {
    const ends = lineEnds()
    // Whole lines, a cut in the middle of a line, a cut right after a line's last byte but before its newline.
    const cuts = [ends[3]!, ends[10]! + 17, ends[25]! - 1, ends[25]!, ends[40]! + 3, ends[59]!, FULL.length]
    const growing = newRepository('growing')
    const path = project.write(NAME, '')
    const firstOrdinals: number[] = []
    const adapter = makeClaudeCodeAdapter()
    let checkpoint: string | null = null
    for (const cut of cuts) {
      writeFileSync(path, FULL.subarray(0, cut))
      const read = await adapter.readUnitFrom!(
        { key: path, source: 'claude-code', files: [path] },
        checkpoint,
      )
      checkpoint = read.checkpoint
      firstOrdinals.push(read.conversations[0]?.firstOrdinal ?? -1)
      await importInto(growing)
    }
    const once = newRepository('once')
    await importInto(once)
    const [grown, whole] = [await rowsOf(growing), await rowsOf(once)]
    expect(whole.messages.length).toBe(MESSAGES)
    // The first cut ends after line 4, the first of the four lines of the first response (lines 4-7): that
    // response was counted from two reads, and is still one row with the figures of one read of the file.
    expect(whole.usage).toHaveLength(RESPONSES)
    expect(grown).toEqual(whole)
    // Every message was inserted once and never rewritten: the reads went on, they did not start over.
    expect(await changesBy(growing, 'message', 'insert')).toBe(MESSAGES)
    expect(await changesBy(growing, 'message', 'update')).toBe(0)
    expect(firstOrdinals[0]).toBe(0)
    expect(firstOrdinals.slice(1).every((ordinal, i) => ordinal >= firstOrdinals[i]!)).toBe(true)
    expect(firstOrdinals.at(-1)).toBe(MESSAGES - 1) // the last line holds one message
  })

  it('a truncated session is read again from the start and keeps the messages it no longer has, marked', async () => {
    const path = project.write(NAME, FULL)
    const repo = newRepository('data')
    await importInto(repo)
    const full = await rowsOf(repo)
    truncateSync(path, lineEnds()[20]!)
    const summary = await importInto(repo)
    expect(summary.problems).toEqual([])
    const once = newRepository('once')
    await importInto(once)
    const kept = (await rowsOf(once)).messages.length
    expect(kept).toBeLessThan(MESSAGES)
    // Nothing is lost: every message is still there, and the ones past the cut are marked gone from the file.
    expect((await rowsOf(repo)).messages).toEqual(full.messages)
    expect(summary.messages).toMatchObject({ removed: 0, gone: MESSAGES - kept })
    const marked = await repo.db
      .selectFrom('messages')
      .select('ordinal')
      .where('left_source_at', 'is not', null)
      .orderBy('ordinal')
      .execute()
    expect(marked.map((m) => m.ordinal)).toEqual(Array.from({ length: MESSAGES - kept }, (_, i) => kept + i))
  })

  it('a session rewritten with other content of a larger size is read again from the start', async () => {
    const path = project.write(NAME, FULL.subarray(0, lineEnds()[30]!))
    const repo = newRepository('data')
    await importInto(repo)
    // Same lines, one early prompt edited, then more lines: the bytes before the old stopping point changed.
    const edited = Buffer.from(FULL.toString('utf8').replace('"type":"user"', '"type":"user","isMeta":true'))
    writeFileSync(path, edited)
    await importInto(repo)
    const once = newRepository('once')
    await importInto(once)
    expect(await rowsOf(repo)).toEqual(await rowsOf(once))
    expect((await rowsOf(repo)).messages.some((m) => m.kind === 'event' && m.role === 'user')).toBe(true)
  })

  it('a damaged checkpoint (bad input in the bookkeeping) means a read from the start, not an error', async () => {
    project.write(NAME, FULL)
    const repo = newRepository('data')
    await importInto(repo)
    const before = await rowsOf(repo)
    await repo.db
      .updateTable('import_units')
      .set({ resume: '{"format":1,"offset":"x"', fingerprint: '' })
      .execute()
    const summary = await importInto(repo)
    expect(summary.problems).toEqual([])
    expect(summary.messages).toMatchObject({ added: 0, updated: 0, unchanged: MESSAGES })
    expect(await rowsOf(repo)).toEqual(before)
  })
})
