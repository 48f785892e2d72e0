/** Messages from the UI log (with or without API history), HistoryItems, the task list and classic Cline's fields. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { conversationsOf } from '../../source-adapter'
import { describe, expect, it } from 'vitest'
import { useScratch } from '../../../repository/test-support/scratch'
import { clineAdapter, rooCodeAdapter } from './index'
import { collect, copySampleTask, countBy, MAIN_TASK, readOnly, writeTask } from './test-folders'

const scratch = useScratch()
const PNG_DATA_URL = `data:image/png;base64,${'B'.repeat(2048)}`

describe('messages from the UI log', () => {
  it('rebuilds the main sample from its 146 UI rows alone: 125 messages, bookkeeping rows skipped', async () => {
    const dir = copySampleTask(scratch.dir(), MAIN_TASK, ['ui_messages.json'])
    const { conversation, messages } = await readOnly(rooCodeAdapter, dir)
    // 146 rows − 6 resume_task − 3 mcp_server_request_started − 1 empty completion ask − 2 empty text rows,
    // + 21 tool results from the 30 api_req_started rows' requests (whose figures go to the messages answering them).
    expect(messages).toHaveLength(125)
    expect(countBy(messages, (m) => `${m.role}/${m.kind}`)).toEqual({
      'user/text': 9, // the prompt and 8 user_feedback rows
      'assistant/text': 33, // 29 say:text, 3 followup questions, 1 completion_result
      'assistant/thinking': 31, // every reasoning row, all left partial
      'assistant/tool_call': 25, // 22 ask:tool, 3 use_mcp_server
      'tool/tool_result': 27, // 3 mcp_server_response, 3 subtask_result, 21 from requests
    })
    expect(messages.filter((m) => m.usage !== undefined && m.role === 'assistant')).toHaveLength(30)
    expect(messages[0]).toMatchObject({ role: 'user', createdAt: 1758114661175 })
    expect(messages.filter((m) => m.metadata?.partial === true)).toHaveLength(31)
    expect(conversation).toMatchObject({
      title: 'PHASE 1 : Diagnostic Système Interface-First - Stratégie Anti-Échec SDDD',
      workspace: 'd:/dev/roo-extensions',
      model: 'claude-sonnet-4-20250514',
      createdAt: 1758114661175,
      lastActivityAt: 1758149100464,
      tokensOut: 16461,
      metadata: { messagesFrom: 'ui_messages' },
    })
  })

  it('keeps unknown rows whole, reduces pasted images, and reads Cline tool rows', async () => {
    const dir = writeTask(scratch.dir(), '1700000000000', {
      'ui_messages.json': [
        { ts: 1700000000001, type: 'say', say: 'task', text: 'Fix the login bug', images: [PNG_DATA_URL] },
        {
          ts: 1700000000002,
          type: 'ask',
          ask: 'followup',
          text: '{"question":"Which browser?","options":["A"]}',
        },
        { ts: 1700000000003, type: 'ask', ask: 'command', text: 'npm test' },
        { ts: 1700000000004, type: 'say', say: 'command_output', text: '3 passed' },
        // Asked while a command runs, before it printed anything: the window shows no message for it.
        { ts: 1700000000004, type: 'ask', ask: 'command_output', text: '' },
        {
          ts: 1700000000005,
          type: 'say',
          say: 'hologram',
          text: 'new kind',
          extra: { preview: PNG_DATA_URL },
        },
        { ts: 1700000000006, type: 'say', say: 'error', text: 'Rate limited' },
      ],
    })
    const { conversation, messages } = await readOnly(clineAdapter, dir)
    expect(messages.map((m) => [m.role, m.kind, m.text])).toEqual([
      ['user', 'text', 'Fix the login bug\n\n[image image/png, 2 KB]'],
      ['assistant', 'text', 'Which browser?'],
      ['assistant', 'tool_call', 'command npm test'],
      ['tool', 'tool_result', '3 passed'],
      ['system', 'unknown', 'new kind'],
      ['system', 'event', 'Rate limited'],
    ])
    expect(messages[0]?.content).toEqual([
      { type: 'text', text: 'Fix the login bug' },
      { type: 'image', omitted: true, mediaType: 'image/png', bytes: 1536 },
    ])
    expect(messages[4]?.content).toMatchObject({
      say: 'hologram',
      extra: { preview: { omitted: true, bytes: 1536 } },
    })
    expect(JSON.stringify(messages)).not.toContain('BBBB')
    expect(conversation).toMatchObject({ id: 'cline:1700000000000', title: 'Fix the login bug' })
  })
})

describe('HistoryItems, the task list and classic Cline fields', () => {
  it('a Roo history_item.json gives title, parent, workspace, totals and its extras', async () => {
    const dir = copySampleTask(scratch.dir(), MAIN_TASK, ['api_conversation_history.json'])
    writeFileSync(
      join(dir, 'history_item.json'),
      JSON.stringify({
        id: MAIN_TASK,
        rootTaskId: 'root-1',
        parentTaskId: 'parent-1',
        number: 4,
        ts: 1758149200000,
        task: 'Titre du HistoryItem\nsecond line',
        tokensIn: 10,
        tokensOut: 20,
        cacheWrites: 30,
        cacheReads: 40,
        totalCost: 1.5,
        size: 123456,
        workspace: '/home/me/project',
        mode: 'architect',
        status: 'completed',
        childIds: ['child-1'],
        futureField: { kept: true },
      }),
    )
    const { conversation } = await readOnly(rooCodeAdapter, dir)
    expect(conversation).toMatchObject({
      title: 'Titre du HistoryItem',
      parentId: 'roo:parent-1',
      workspace: '/home/me/project',
      tokensIn: 10,
      tokensOut: 20,
      cacheWrites: 30,
      cacheReads: 40,
      cost: 1.5,
      createdAt: 1758115714892,
      // HistoryItem.ts is the task's last relevant message, here later than the API history's last item.
      lastActivityAt: 1758149200000,
    })
    expect(conversation.metadata).toEqual({
      messagesFrom: 'api_conversation_history',
      rootTaskId: 'root-1',
      number: 4,
      mode: 'architect',
      status: 'completed',
      childIds: ['child-1'],
      futureField: { kept: true },
    })
  })

  it('a Cline task without UI log or HistoryItem takes them from state/taskHistory.json', async () => {
    const root = scratch.dir()
    writeTask(root, '1700000000000', {
      'api_conversation_history.json': [
        { role: 'user', content: [{ type: 'text', text: '<task>\nFrom the API\n</task>' }] },
        {
          role: 'assistant',
          content: [{ type: 'text', text: 'OK' }],
          modelInfo: { modelId: 'claude-opus-4', providerId: 'anthropic', mode: 'act' },
          metrics: { tokens: { prompt: 100, completion: 50, cached: 25 }, cost: 0.02 },
        },
      ],
      'task_metadata.json': { files_in_context: [], model_usage: [{ ts: 1, model_id: 'older-model' }] },
    })
    mkdirSync(join(root, 'state'))
    const item = {
      id: '1700000000000',
      ulid: '01H',
      ts: 1700000009000,
      task: 'Listed title',
      isFavorited: true,
    }
    const list = [
      { ...item, cwdOnTaskInitialization: '/work/app', tokensIn: 7, tokensOut: 8, totalCost: 0.3 },
    ]
    writeFileSync(join(root, 'state', 'taskHistory.json'), JSON.stringify(list))
    const [unit] = await collect(clineAdapter.findUnits(root))
    expect(unit?.files).toContain(join(root, 'state', 'taskHistory.json'))
    if (!unit) throw new Error('no unit found')
    const [listed] = conversationsOf(await clineAdapter.readUnit(unit))
    expect(listed?.conversation).toMatchObject({
      title: 'Listed title',
      workspace: '/work/app',
      model: 'claude-opus-4',
      tokensIn: 7,
      cost: 0.3,
      // No message has a time: the folder name is Cline's Date.now() at creation.
      createdAt: 1700000000000,
      lastActivityAt: 1700000009000,
      metadata: { ulid: '01H', isFavorited: true, messagesFrom: 'api_conversation_history' },
    })
    // Without the list: title from the first user message, usage from the items' metrics.
    const [alone] = conversationsOf(
      await clineAdapter.readUnit({ ...unit, files: unit.files.filter((f) => !f.includes('state')) }),
    )
    expect(alone?.conversation).toMatchObject({
      title: 'From the API',
      workspace: null,
      model: 'claude-opus-4',
      tokensIn: 100,
      tokensOut: 50,
      cacheReads: 25,
      cost: 0.02,
      metadata: { messagesFrom: 'api_conversation_history' },
    })
  })
})
