/**
 * A classic Cline task (folder named after Date.now(), first row say:"task", API items without ts) read from its UI
 * log: each row at its time, tool output as tool results, and only the user's words as the user's (issue 21,
 * findings 5 and 6). The bad input: an API history whose user items are all tool output and environment details,
 * and a request still "Loading..." when the file was read.
 */
import { describe, expect, it } from 'vitest'
import { useScratch } from '../../../repository/test-support/scratch'
import { clineAdapter } from './index'
import { readOnly, writeTask } from './test-folders'
import { apiRequest, ask, at, say } from './test-task-rows'

const scratch = useScratch()
const TASK = '1760000000000'
const ENV =
  '<environment_details>\n# Current Working Directory (/home/me/cline-app) Files\nsrc/\n</environment_details>'

const rows = [
  say(at(1000), 'task', 'Why does `login` fail?'),
  apiRequest(at(1100), `<task>\nWhy does \`login\` fail?\n</task>\n\n${ENV}`),
  say(at(1200), 'text', 'I will read the handler.'),
  say(
    at(1300),
    'tool',
    JSON.stringify({ tool: 'readFile', path: 'src/login.ts', content: '/x/src/login.ts' }),
  ),
  apiRequest(
    at(1400),
    `[read_file for 'src/login.ts'] Result:\n\nexport const login = () => nulll\n\n${ENV}`,
  ),
  ask(at(1500), 'plan_mode_respond', JSON.stringify({ response: 'A typo: nulll.', options: [] })),
  say(at(1600), 'user_feedback', 'Fix it, and run the tests'),
  apiRequest(
    at(1700),
    `[plan_mode_respond] Result:\n\n<user_message>\nFix it, and run the tests\n</user_message>\n\n${ENV}`,
  ),
  ask(at(1800), 'command', 'npm test'),
  // The request of a call still being made: Cline fills in the environment details when they are gathered.
  apiRequest(
    at(1900),
    "[execute_command for 'npm test'] Result:\n\nCommand executed.\nOutput:\n1 passed\n\nLoading...",
  ),
]

const items = [
  {
    role: 'user',
    content: [
      { type: 'text', text: '<task>\nWhy does `login` fail?\n</task>' },
      { type: 'text', text: ENV },
    ],
  },
  {
    role: 'assistant',
    content: [{ type: 'text', text: '<read_file><path>src/login.ts</path></read_file>' }],
    modelInfo: { modelId: 'claude-opus-4', providerId: 'anthropic' },
  },
  {
    role: 'user',
    content: [
      { type: 'text', text: "[read_file for 'src/login.ts'] Result:" },
      { type: 'text', text: 'export const login = () => nulll' },
      { type: 'text', text: ENV },
    ],
  },
]

describe('a classic Cline task', () => {
  it('takes its messages from the UI log, each at its row time', async () => {
    const dir = writeTask(scratch.dir(), TASK, {
      'ui_messages.json': rows,
      'api_conversation_history.json': items,
    })
    const { conversation, messages } = await readOnly(clineAdapter, dir)
    expect(
      messages.map((m) => [m.id.slice(`cline:${TASK}#`.length), m.role, m.kind, m.createdAt, m.text]),
    ).toEqual([
      [`ui-${at(1000)}`, 'user', 'text', at(1000), 'Why does `login` fail?'],
      [`ui-${at(1200)}`, 'assistant', 'text', at(1200), 'I will read the handler.'],
      [
        `ui-${at(1300)}`,
        'assistant',
        'tool_call',
        at(1300),
        'readFile {"path":"src/login.ts","content":"/x/src/login.ts"}',
      ],
      [`ui-${at(1400)}`, 'tool', 'tool_result', at(1400), 'export const login = () => nulll'],
      [`ui-${at(1500)}`, 'assistant', 'text', at(1500), 'A typo: nulll.'],
      [`ui-${at(1600)}`, 'user', 'text', at(1600), 'Fix it, and run the tests'],
      [`ui-${at(1800)}`, 'assistant', 'tool_call', at(1800), 'command npm test'],
      [`ui-${at(1900)}`, 'tool', 'tool_result', at(1900), 'Command executed.\nOutput:\n1 passed'],
      // A request is answered by the assistant message after it, which carries its figures; the last one, with
      // figures and no answer, is a line of its own after the tool output it sent.
      [`ui-${at(1900)}-request`, 'system', 'event', at(1900), 'API request'],
    ])
    expect(messages.filter((m) => m.usage).map((m) => [m.createdAt, m.usage?.responseKey])).toEqual([
      [at(1200), `ui-${at(1100)}`],
      [at(1500), `ui-${at(1400)}`],
      [at(1800), `ui-${at(1700)}`],
      [at(1900), `ui-${at(1900)}`],
    ])
    expect(conversation).toMatchObject({
      id: `cline:${TASK}`,
      source: 'cline',
      title: 'Why does login fail?',
      workspace: '/home/me/cline-app',
      model: 'claude-opus-4',
      createdAt: at(1000),
      lastActivityAt: at(1900),
    })
  })

  it('without a UI log, its tool output is a tool result and never the user’s words', async () => {
    const dir = writeTask(scratch.dir(), TASK, { 'api_conversation_history.json': items })
    const { conversation, messages } = await readOnly(clineAdapter, dir)
    expect(messages.map((m) => [m.id.slice(`cline:${TASK}#`.length), m.role, m.kind, m.text])).toEqual([
      // Cline's items carry no time, and Cline never removes one: their position names them.
      ['api-at-0', 'user', 'text', '<task>\nWhy does `login` fail?\n</task>'],
      ['api-at-1', 'assistant', 'text', '<read_file><path>src/login.ts</path></read_file>'],
      [
        'api-at-2',
        'tool',
        'tool_result',
        "[read_file for 'src/login.ts'] Result:\n\nexport const login = () => nulll",
      ],
    ])
    expect(conversation).toMatchObject({ workspace: '/home/me/cline-app', createdAt: Number(TASK) })
  })
})
