/**
 * Sub-agents and sub-tasks reach the page linked to their parent: the importers set the SQL row's parent_id,
 * and the bridge's events carry it to every device's LiveStore conversations table, where the list nests them
 * (renderer/src/conversations/nest-rows.ts). Real parts throughout: the samples and files in the assistants'
 * own layouts, a repository file, the bridge, the hub and a device store over WebSocket.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { tables } from '../../../shared/livestore/schema'
import { useBridgedLibrary } from '../../bridge/test-support/bridged-library'
import { until } from '../../hub/test-support/until'
import { useScratch } from '../../repository/test-support/scratch'
import { importSources } from '../import-engine'
import { samplesDir } from '../test-support/samples'
import { claudeCodeAdapter } from './claude-code'
import { assistantLine, jsonl, line, SESSION, tempProject, userLine } from './claude-code/test-session'
import { rooCodeAdapter } from './roo-cline'
import { copySampleTask, MAIN_TASK, SUBTASK, writeTask } from './roo-cline/test-folders'

const scratch = useScratch()
const { openBridgedLibrary } = useBridgedLibrary(scratch)
const cleanups: (() => void)[] = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})

/** Imports the sources, bridges them and returns the device's conversations once all of them arrived there. */
async function onDevice(sources: Parameters<typeof importSources>[1]) {
  const { repo, device, bridge } = await openBridgedLibrary({ deviceId: 'd1' })
  await importSources(repo, sources)
  const expected = (await repo.db.selectFrom('conversations').select('id').execute()).length
  await bridge.drain()
  const rows = await until(
    () => device.store.query(tables.conversations.select('id', 'parentId', 'messageCount', 'title')),
    (all) => all.length === expected && all.every((c) => c.messageCount > 0),
  )
  return new Map(rows.map((row) => [row.id, row]))
}

/** A sub-agent's line: the same session id, on the side chain, with its agent id (Claude Code 2.x). */
const agentLine = (row: Record<string, unknown>, agentId: string) => ({ ...row, isSidechain: true, agentId })

describe('sub-agent and sub-task links reach the list', () => {
  it("links the samples' sibling agent-<id>.jsonl (a Warmup: a prompt and a reply) to its session", async () => {
    const session = 'claude-code:5ed31c36-bca8-40fd-8d24-f1a1f0af7901'
    const all = await onDevice([{ path: samplesDir('claude-code'), adapter: claudeCodeAdapter }])
    expect(all.get(`${session}/agent-c3d572ee`)).toMatchObject({ parentId: session, messageCount: 2 })
    expect(all.get(session)?.parentId).toBeNull()
    const children = [...all.values()].filter((c) => c.parentId !== null)
    expect(children.map((c) => c.id)).toEqual([`${session}/agent-c3d572ee`])
  })

  it('links <session>/subagents/agent-<id>.jsonl files, a working agent and a Warmup', async () => {
    const project = tempProject()
    cleanups.push(() => project.remove())
    project.write(
      `${SESSION}.jsonl`,
      jsonl([
        userLine('u1', null, 'Find the bug'),
        assistantLine('a1', 'u1', [{ type: 'text', text: 'Found' }]),
      ]),
    )
    const toolUse = { type: 'tool_use', id: 'toolu_1', name: 'Grep', input: { pattern: 'bug' } }
    const toolResult = { type: 'tool_result', tool_use_id: 'toolu_1', content: 'src/a.ts:3: bug' }
    project.write(
      `${SESSION}/subagents/agent-a1b2.jsonl`,
      jsonl(
        [
          userLine('s1', null, 'Search for the bug'),
          assistantLine('s2', 's1', [toolUse]),
          line('user', 's3', 's2', { role: 'user', content: [toolResult] }),
          assistantLine('s4', 's3', [{ type: 'text', text: 'It is in src/a.ts' }]),
        ].map((row) => agentLine(row, 'a1b2')),
      ),
    )
    project.write(`${SESSION}/subagents/agent-a1b2.meta.json`, '{"agentType":"Explore"}')
    project.write(
      `${SESSION}/subagents/agent-w9.jsonl`,
      jsonl(
        [userLine('w1', null, 'Warmup'), assistantLine('w2', 'w1', [{ type: 'text', text: 'Ready.' }])].map(
          (row) => agentLine(row, 'w9'),
        ),
      ),
    )
    const all = await onDevice([{ path: project.root, adapter: claudeCodeAdapter }])
    const parent = `claude-code:${SESSION}`
    expect(all.get(`${parent}/agent-a1b2`)).toMatchObject({ parentId: parent, messageCount: 4 })
    expect(all.get(`${parent}/agent-w9`)).toMatchObject({
      parentId: parent,
      messageCount: 2,
      title: 'Warmup',
    })
    expect(all.get(parent)).toMatchObject({ parentId: null, messageCount: 2 })
  })

  it("links a Roo sub-task through its history_item.json's parentTaskId (the real sub-task sample)", async () => {
    const root = mkdtempSync(join(tmpdir(), 'chronicle-subtask-'))
    cleanups.push(() => rmSync(root, { recursive: true, force: true }))
    copySampleTask(root, MAIN_TASK, ['api_conversation_history.json', 'ui_messages.json'])
    copySampleTask(root, SUBTASK, ['api_conversation_history.json'])
    // The HistoryItem Roo writes beside a sub-task it started from the orchestrator's new_task.
    writeTask(root, SUBTASK, {
      'history_item.json': {
        id: SUBTASK,
        rootTaskId: MAIN_TASK,
        parentTaskId: MAIN_TASK,
        number: 2,
        ts: 1758819650000,
        task: 'TEST-LEAF-B1a',
        tokensIn: 10,
        tokensOut: 20,
        totalCost: 0.01,
        mode: 'code',
      },
    })
    const all = await onDevice([{ path: root, adapter: rooCodeAdapter }])
    expect(all.get(`roo:${SUBTASK}`)?.parentId).toBe(`roo:${MAIN_TASK}`)
    expect(all.get(`roo:${MAIN_TASK}`)?.parentId).toBeNull()
  })
})
