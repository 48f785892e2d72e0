/** The real Roo Code samples (../shared/samples/roo-code), read with the adapter directly. Figures checked with jq. */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useScratch } from '../../../repository/test-support/scratch'
import { samplesDir } from '../../test-support/samples'
import { clineAdapter, rooCodeAdapter } from './index'
import { collect, copySampleTask, countBy, MAIN_TASK, readOnly, SUBTASK } from './test-folders'

const scratch = useScratch()
const tasks = () => samplesDir('roo-code', 'tasks')

describe('Roo Code task folders: finding', () => {
  it('finds one unit per task from the storage folder, the tasks folder, a task folder or one of its files', async () => {
    const fromStorage = await collect(rooCodeAdapter.findUnits(samplesDir('roo-code')))
    expect(fromStorage.map((u) => u.key)).toEqual([join(tasks(), SUBTASK), join(tasks(), MAIN_TASK)])
    expect(fromStorage[1]?.files).toEqual([
      join(tasks(), MAIN_TASK, 'api_conversation_history.json'),
      join(tasks(), MAIN_TASK, 'ui_messages.json'),
    ])
    expect(fromStorage[0]?.files).toEqual([join(tasks(), SUBTASK, 'api_conversation_history.json')])
    expect(await collect(rooCodeAdapter.findUnits(tasks()))).toEqual(fromStorage)
    const one = await collect(rooCodeAdapter.findUnits(join(tasks(), MAIN_TASK)))
    expect(one).toEqual([fromStorage[1]])
    const byFile = await collect(rooCodeAdapter.findUnits(join(tasks(), MAIN_TASK, 'ui_messages.json')))
    expect(byFile).toEqual([fromStorage[1]])
  })
})

describe('Roo Code task folders: the main task (API history and UI log)', () => {
  it('takes its messages from the 146 UI rows, each at its row time, with the tool output of each request', async () => {
    const { conversation, messages } = await readOnly(rooCodeAdapter, join(tasks(), MAIN_TASK))
    const id = `roo:${MAIN_TASK}`
    expect(conversation.id).toBe(id)
    expect(conversation.metadata).toEqual({ messagesFrom: 'ui_messages' })
    expect(messages).toHaveLength(125)
    expect(messages.map((m) => m.ordinal)).toEqual([...Array(125).keys()])
    expect(countBy(messages, (m) => `${m.role}/${m.kind}`)).toEqual({
      'user/text': 9, // the prompt and 8 user_feedback rows
      'assistant/text': 33, // 29 say:text with words, 3 followup questions, 1 completion_result
      'assistant/thinking': 31, // every reasoning row, all left partial
      'assistant/tool_call': 25, // 22 ask:tool, 3 use_mcp_server
      // 3 mcp_server_response and 3 subtask_result rows, and 21 results only the requests hold (the 3 MCP
      // results the requests repeat and the 3 answers to questions, which are user rows, are not taken twice).
      'tool/tool_result': 27,
    })
    // The 30 api_req_started rows: each request's figures are on the assistant message that answers it.
    expect(messages.filter((m) => m.usage !== undefined && m.role === 'assistant')).toHaveLength(30)
    expect(messages[0]).toMatchObject({
      id: `${id}#ui-1758114661175`,
      role: 'user',
      createdAt: 1758114661175,
    })
    expect(messages.every((m) => m.createdAt !== null && m.createdAt !== undefined)).toBe(true)
    // The user said this in the window and nowhere else as their own words.
    const feedback = messages.filter((m) => m.text.startsWith('Je vois 22 tâches'))
    expect(feedback.map((m) => [m.role, m.createdAt])).toEqual([['user', 1758116744150]])
    const todo = messages.find((m) => m.id === `${id}#ui-1758115736917`)
    expect(todo).toMatchObject({
      role: 'tool',
      kind: 'tool_result',
      text: 'Todo list updated successfully.',
      createdAt: 1758115736917,
      metadata: { say: 'api_req_started', description: '[update_todo_list]' },
    })
  })

  it('takes title, usage and time span from the UI log (146 rows, 32 partial)', async () => {
    const { conversation } = await readOnly(rooCodeAdapter, join(tasks(), MAIN_TASK))
    expect(conversation).toMatchObject({
      source: 'roo',
      sourceId: MAIN_TASK,
      title: 'PHASE 1 : Diagnostic Système Interface-First - Stratégie Anti-Échec SDDD',
      // Not in a HistoryItem here: read from the environment details Roo appends to each request.
      workspace: 'd:/dev/roo-extensions',
      model: 'claude-sonnet-4-20250514',
      // The UI log starts with the prompt, 17 minutes before the first API request.
      createdAt: 1758114661175,
      // The last API item; the UI log's last row is a resume_task ask ten days later, left out like Roo does.
      lastActivityAt: 1758149129117,
      updatedAt: 1758149129117,
      // Sums over the 30 api_req_started rows.
      tokensIn: 285,
      tokensOut: 16461,
      cacheReads: 1039280,
      cacheWrites: 689253,
      parentId: null,
    })
    expect(conversation.cost).toBeCloseTo(2.90000775, 8)
  })

  it('without its UI log, maps the 63 API items, tool results and answers apart, keyed by their ts', async () => {
    const dir = copySampleTask(scratch.dir(), MAIN_TASK, ['api_conversation_history.json'])
    const { conversation, messages } = await readOnly(rooCodeAdapter, dir)
    const id = `roo:${MAIN_TASK}`
    expect(conversation.metadata).toEqual({ messagesFrom: 'api_conversation_history' })
    // 6 items carry both a tool result and the user's words (3 answers, 1 feedback, 2 new instructions).
    expect(messages).toHaveLength(69)
    expect(countBy(messages, (m) => `${m.role}/${m.kind}`)).toEqual({
      'user/text': 9,
      'assistant/text': 30,
      'tool/tool_result': 30,
    })
    expect(messages[0]).toMatchObject({ id: `${id}#api-1758115714892`, createdAt: 1758115714892 })
    expect(messages[0]?.text).toContain('Stratégie Anti-Échec SDDD')
    expect(messages[0]?.text).not.toContain('<environment_details>')
    expect(messages[0]?.content).toHaveLength(3)
    expect(messages.slice(27, 29).map((m) => [m.id, m.role, m.text.slice(0, 40)])).toEqual([
      [`${id}#api-1758116744423`, 'tool', "[ask_followup_question for 'Pouvez-vous "],
      [`${id}#api-1758116744423-1`, 'user', 'Je vois 22 tâches (les dernières ne sont'],
    ])
    expect(messages.at(-1)).toMatchObject({ id: `${id}#api-1758149129117`, createdAt: 1758149129117 })
  })
})

describe('Roo Code task folders: a subtask with only its API history', () => {
  it('reads 4 messages and takes the title from the first user message', async () => {
    const { conversation, messages } = await readOnly(rooCodeAdapter, join(tasks(), SUBTASK))
    // The write_to_file result is the tool's output, not the user's words.
    expect(messages.map((m) => `${m.role}/${m.kind}`)).toEqual([
      'user/text',
      'assistant/text',
      'tool/tool_result',
      'assistant/text',
    ])
    // The prompt's first line is 286 characters: cut to 200 with an ellipsis, without the <task> wrapper.
    expect(conversation.title).toHaveLength(200)
    expect(conversation.title).toMatch(
      /^TEST-LEAF-B1a: Crée le fichier mcp-debugging\/test-data\/test-b1a\.py /,
    )
    expect(conversation.title.endsWith('(format 06/07 suivi de 8 chiffres)…')).toBe(true)
    expect(conversation).toMatchObject({
      workspace: 'd:/dev/2025-Epita-Intelligence-Symbolique',
      model: 'anthropic/claude-sonnet-4',
      createdAt: 1758819599801,
      lastActivityAt: 1758819648003,
    })
    // No UI log and no HistoryItem: no usage is known, so none is claimed.
    expect(conversation.tokensIn).toBeUndefined()
    expect(conversation.cost).toBeUndefined()
  })
})

describe('Cline reads the same folder format', () => {
  it('gives cline ids to the same task', async () => {
    const { conversation, messages } = await readOnly(clineAdapter, join(tasks(), SUBTASK))
    expect(conversation.id).toBe(`cline:${SUBTASK}`)
    expect(conversation.source).toBe('cline')
    expect(messages[3]?.id).toBe(`cline:${SUBTASK}#api-1758819648003`)
  })
})
