/**
 * Roo's context condensation shortens api_conversation_history.json (earlier turns replaced by a summary) while
 * ui_messages.json keeps every row the window shows (issue 21, findings 1, 5 and 6). The bad input: a task condensed
 * twice, whose API history holds 5 items of a conversation the user saw as 21 messages.
 */
import { describe, expect, it } from 'vitest'
import { useScratch } from '../../../repository/test-support/scratch'
import type { MessageInput } from '../../../repository/writes'
import { rooCodeAdapter } from './index'
import { readOnly, writeTask } from './test-folders'
import {
  at,
  condensedTaskRows,
  FIRST_SUMMARY,
  SECOND_SUMMARY,
  twiceCondensedItems,
  uncondensedItems,
} from './test-task-rows'

const scratch = useScratch()
const TASK = '0f0e0d0c-condensed'

const readTask = async (rows: readonly unknown[], items: readonly unknown[]) =>
  readOnly(
    rooCodeAdapter,
    writeTask(scratch.dir(), TASK, {
      'ui_messages.json': rows,
      'api_conversation_history.json': items,
    }),
  )

const shape = (m: MessageInput) => [m.role, m.kind, m.createdAt, m.text]
/** An api_req_started row no assistant message answers (a condensation follows): a line of its own. */
const REQUEST = (ts: number) => ['system', 'event', ts, 'API request']

describe('a Roo task condensed twice', () => {
  it('has every message its window shows, in order, each at its row time', async () => {
    const { conversation, messages } = await readTask(condensedTaskRows, twiceCondensedItems)
    expect(messages.map(shape)).toEqual([
      ['user', 'text', at(1000), 'Refactor the **parser** module'],
      ['assistant', 'thinking', at(1200), 'I should read the parser first.'],
      ['assistant', 'text', at(1300), 'Let me read the parser.'],
      ['assistant', 'tool_call', at(1400), 'readFile {"path":"src/parser.ts"}'],
      // File contents only the model saw, kept from the request and searchable after both condensations.
      [
        'tool',
        'tool_result',
        at(1500),
        '<file><path>src/parser.ts</path>\n<content>\nexport function parseQuasar() {}\n</content>\n</file>',
      ],
      ['assistant', 'text', at(1600), 'The parser exports parseQuasar.'],
      ['assistant', 'text', at(1700), 'Keep the old API?'],
      // The answer is the user's row; the request's <answer> is not taken a second time.
      ['user', 'text', at(1800), 'Yes, keep it'],
      ['assistant', 'tool_call', at(2000), 'command npm test'],
      ['tool', 'tool_result', at(2100), '3 passed'],
      [
        'tool',
        'tool_result',
        at(2200),
        "Command executed in terminal within working directory '/home/me/app'. Exit code: 0\nOutput:\n3 passed",
      ],
      REQUEST(at(2200)),
      ['assistant', 'summary', at(2300), FIRST_SUMMARY],
      ['assistant', 'text', at(2400), 'Continuing after the summary.'],
      ['assistant', 'text', at(2500), 'Parser refactored.'],
      ['user', 'text', at(2700), 'Attention: there are thousands of tasks!'],
      [
        'tool',
        'tool_result',
        at(2800),
        'The user has provided feedback on the results. Consider their input to continue the task, and then attempt completion again.',
      ],
      [
        'assistant',
        'tool_call',
        at(2900),
        'use_mcp_server {"type":"use_mcp_tool","serverName":"tasks","toolName":"count"}',
      ],
      // The MCP response is a row of its own; the request repeating it word for word adds nothing.
      ['tool', 'tool_result', at(3000), '42 tasks found'],
      REQUEST(at(3100)),
      ['assistant', 'summary', at(3200), SECOND_SUMMARY],
      ['system', 'event', at(3250), 'Rate limited, retrying'],
      ['assistant', 'text', at(3300), 'Done after two condensations.'],
    ])
    expect(messages.map((m) => m.ordinal)).toEqual([...messages.keys()])
    // Each answered request's figures are on the first assistant message after it.
    expect(
      messages.filter((m) => m.usage && m.kind !== 'summary').map((m) => [m.createdAt, m.usage?.responseKey]),
    ).toEqual([
      [at(1200), `ui-${at(1100)}`],
      [at(1600), `ui-${at(1500)}`],
      [at(2000), `ui-${at(1900)}`],
      [at(2200), `ui-${at(2200)}`],
      [at(2900), `ui-${at(2800)}`],
      [at(3100), `ui-${at(3100)}`],
    ])
    expect(messages.filter((m) => m.role === 'user').map((m) => m.text)).toEqual([
      'Refactor the **parser** module',
      'Yes, keep it',
      'Attention: there are thousands of tasks!',
    ])
    expect(messages.find((m) => m.kind === 'summary')?.content).toMatchObject({ prevContextTokens: 9000 })
    expect(conversation).toMatchObject({
      title: 'Refactor the parser module',
      workspace: '/home/me/app',
      model: 'claude-sonnet-4',
      createdAt: at(1000),
      // The last API item is stamped when its answer was complete, after the row that started it.
      lastActivityAt: at(3350),
      tokensIn: 60,
      metadata: { messagesFrom: 'ui_messages' },
    })
  })

  it('names each row by the same id before its first condensation and after the second', async () => {
    const before = await readTask(condensedTaskRows.slice(0, 13), uncondensedItems)
    const after = await readTask(condensedTaskRows, twiceCondensedItems)
    expect(before.messages).toHaveLength(12)
    const later = new Map(after.messages.map((m) => [m.id, m]))
    for (const message of before.messages) expect(later.get(message.id)).toEqual(message)
    expect(before.messages.map((m) => m.id.slice(`roo:${TASK}#`.length))).toEqual([
      `ui-${at(1000)}`,
      `ui-${at(1200)}`,
      `ui-${at(1300)}`,
      `ui-${at(1400)}`,
      `ui-${at(1500)}`,
      `ui-${at(1600)}`,
      `ui-${at(1700)}`,
      `ui-${at(1800)}`,
      `ui-${at(2000)}`,
      `ui-${at(2100)}`,
      `ui-${at(2200)}`,
      `ui-${at(2200)}-request`,
    ])
  })

  it('gives rows written in the same millisecond ids of their own, the same in every read', async () => {
    const rows = [
      condensedTaskRows[0],
      { ...condensedTaskRows[3], ts: at(1000) },
      { ...condensedTaskRows[6], ts: at(1000) },
    ]
    const first = await readTask(rows, [])
    const again = await readTask([...rows, condensedTaskRows[8]], [])
    const ids = first.messages.map((m) => m.id.slice(`roo:${TASK}#`.length))
    expect(ids).toEqual([`ui-${at(1000)}`, `ui-${at(1000)}.1`, `ui-${at(1000)}.2`])
    expect(again.messages.slice(0, 3)).toEqual(first.messages)
  })
})
