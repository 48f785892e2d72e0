/**
 * Titles from summaries in other files of the project, and the samples written into a real repository: a second
 * read and write of the same files must change nothing, so the adapter's output has to be deterministic.
 */
import { copyFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openRepository } from '../../../repository/repository'
import { samplesDir } from '../../test-support/samples'
import { makeClaudeCodeAdapter } from './index'
import { SESSION, jsonl, readAll, readFile, tempProject, type TempProject } from './test-session'
import { changeCount } from '../../test-support/repository-helpers'

const samples = samplesDir('claude-code', 'projects')
const SAMPLE = '-Users-dain-workspace-claude-code-log-sample/71c9afe9-d9cc-4583-86b3-e62ba682b83a.jsonl'
// uuids of the 71c9afe9 lines 4 (the first reply) and 12 (the last reply).
const EARLY_LEAF = '81874968-7acd-48c7-b6f5-43c6b855071e'
const LATE_LEAF = '15de182e-96fb-4e8d-b839-b8d42714aaeb'

let project: TempProject
beforeEach(() => {
  project = tempProject()
})
afterEach(() => project.remove())

const summary = (text: string, leafUuid: string) => ({ type: 'summary', summary: text, leafUuid })

describe('claude code titles from summaries', () => {
  it('takes the summary of the latest summarised message, from another file of the project', async () => {
    const session = join(project.dir, '71c9afe9-d9cc-4583-86b3-e62ba682b83a.jsonl')
    copyFileSync(join(samples, SAMPLE), session)
    project.write('later.jsonl', jsonl([summary('Late summary', LATE_LEAF), summary('Other', 'elsewhere')]))
    project.write('earlier.jsonl', jsonl([summary('Early summary', EARLY_LEAF)]))
    const adapter = makeClaudeCodeAdapter()
    const [c] = await readFile(adapter, session)
    expect(c?.conversation.title).toBe('Late summary')

    // The same adapter notices when a summary file changes (its head cache follows size and mtime).
    project.write('later.jsonl', jsonl([summary('Renamed summary', LATE_LEAF)]))
    expect((await readFile(adapter, session))[0]?.conversation.title).toBe('Renamed summary')
  })

  it("gathers a project's summaries once per import pass, and sees a new summary file or a new pass", async () => {
    const session = join(project.dir, '71c9afe9-d9cc-4583-86b3-e62ba682b83a.jsonl')
    copyFileSync(join(samples, SAMPLE), session)
    project.write('earlier.jsonl', jsonl([summary('Early summary', EARLY_LEAF)]))
    const adapter = makeClaudeCodeAdapter()
    const endPass = adapter.beginPass?.()
    expect((await readFile(adapter, session))[0]?.conversation.title).toBe('Early summary')
    // A file added during the pass changes the folder: the next session read sees it.
    project.write('later.jsonl', jsonl([summary('Late summary', LATE_LEAF)]))
    expect((await readFile(adapter, session))[0]?.conversation.title).toBe('Late summary')
    endPass?.()
    // After the pass, a rewritten summary file is seen at once, as outside any pass.
    project.write('later.jsonl', jsonl([summary('Renamed summary', LATE_LEAF)]))
    expect((await readFile(adapter, session))[0]?.conversation.title).toBe('Renamed summary')
  })

  it('uses a summary in the session file itself, and a /rename over any summary', async () => {
    const lines = readFileSync(join(samples, SAMPLE), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown)
    const own = project.write(`${SESSION}.jsonl`, jsonl([summary('Own summary', EARLY_LEAF), ...lines]))
    expect((await readFile(makeClaudeCodeAdapter(), own))[0]?.conversation.title).toBe('Own summary')
    project.write(
      `${SESSION}.jsonl`,
      jsonl([...lines, { type: 'custom-title', customTitle: 'My name', sessionId: SESSION }]),
    )
    expect((await readFile(makeClaudeCodeAdapter(), own))[0]?.conversation.title).toBe('My name')
  })
})

describe('claude code into a repository', () => {
  it('writes every sample, and writing them again appends no change', async () => {
    const repo = openRepository({ dataDir: join(project.root, 'data') })
    try {
      const write = async () => {
        const all = await readAll(makeClaudeCodeAdapter(), samples)
        await repo.write('import', async (w) => {
          await w.upsertConversations(all.map((c) => c.conversation))
          await w.upsertMessages(all.flatMap((c) => c.messages))
        })
        return all
      }
      const all = await write()
      const after = await changeCount(repo)
      expect(after).toBeGreaterThan(0)
      await write()
      expect(await changeCount(repo)).toBe(after)

      const stats = await repo.stats()
      expect(stats.totals).toMatchObject({
        conversations: 6,
        messages: all.flatMap((c) => c.messages).length,
      })
      const agent = await repo.getConversation(
        'claude-code:5ed31c36-bca8-40fd-8d24-f1a1f0af7901/agent-c3d572ee',
      )
      expect(agent.ok && agent.value?.conversation.parentId).toBe(
        'claude-code:5ed31c36-bca8-40fd-8d24-f1a1f0af7901',
      )
      const hits = await repo.search('markdownlint')
      expect(
        hits.ok &&
          hits.value.hits.some((h) => h.conversationId.endsWith('5ed31c36-bca8-40fd-8d24-f1a1f0af7901')),
      ).toBe(true)
    } finally {
      await repo.close()
    }
  })
})
