/**
 * UI rows and API items written the way Roo Code and classic Cline write them (FORMATS.md), for tests that build a
 * task of their own: a Roo task condensed twice, at any point of its life.
 */

export const say = (ts: number, kind: string, text?: string, more: Record<string, unknown> = {}) => ({
  ts,
  type: 'say',
  say: kind,
  ...(text !== undefined && { text }),
  ...more,
})

export const ask = (ts: number, kind: string, text: string, more: Record<string, unknown> = {}) => ({
  ts,
  type: 'ask',
  ask: kind,
  text,
  ...more,
})

/** The environment details the assistants append to each request; Cline names the working directory. */
export const environment = (workspace: string, model = 'claude-sonnet-4') =>
  `<environment_details>\n# VSCode Visible Files\nsrc/parser.ts\n\n# Current Workspace Directory (${workspace}) Files\nsrc/\n\n# Current Mode\n<slug>code</slug>\n<model>${model}</model>\n</environment_details>`

/** A say:"api_req_started" row: the request's markdown and the call's usage, as one JSON text. */
export const apiRequest = (ts: number, request: string, tokensIn = 10) =>
  say(ts, 'api_req_started', JSON.stringify({ request, tokensIn, tokensOut: 5, cacheReads: 0, cost: 0.01 }))

/** Epoch ms of the story's step `n`: rows and items below are stamped at(1000), at(1100), ... */
export const at = (n: number) => 1_760_000_000_000 + n

const ENV = environment('/home/me/app')
const PROMPT = 'Refactor the **parser** module'
export const FIRST_SUMMARY = 'Summary one: the parser was read, the user keeps the old API, tests pass.'
export const SECOND_SUMMARY = 'Summary two: thousands of tasks exist; the MCP server found 42.'

/** The whole UI log of the task, which Roo never shortens. Rows up to at(2200) come before the first condensation. */
export const condensedTaskRows = [
  say(at(1000), 'text', PROMPT),
  apiRequest(at(1100), `<task>\n${PROMPT}\n</task>\n\n${ENV}`),
  say(at(1200), 'reasoning', 'I should read the parser first.', { partial: true }),
  say(at(1300), 'text', 'Let me read the parser.'),
  ask(at(1400), 'tool', JSON.stringify({ tool: 'readFile', path: 'src/parser.ts' })),
  apiRequest(
    at(1500),
    `[read_file for 'src/parser.ts'] Result:\n\n<file><path>src/parser.ts</path>\n<content>\nexport function parseQuasar() {}\n</content>\n</file>\n\n${ENV}`,
  ),
  say(at(1600), 'text', 'The parser exports parseQuasar.'),
  ask(at(1700), 'followup', JSON.stringify({ question: 'Keep the old API?', suggest: ['Yes', 'No'] })),
  say(at(1800), 'user_feedback', 'Yes, keep it', { images: [] }),
  apiRequest(
    at(1900),
    `[ask_followup_question for 'Keep the old API?'] Result:\n\n<answer>\nYes, keep it\n</answer>\n\n${ENV}`,
  ),
  ask(at(2000), 'command', 'npm test'),
  say(at(2100), 'command_output', '3 passed'),
  apiRequest(
    at(2200),
    `[execute_command for 'npm test'] Result:\n\nCommand executed in terminal within working directory '/home/me/app'. Exit code: 0\nOutput:\n3 passed\n\n${ENV}`,
  ),
  say(at(2300), 'condense_context', undefined, {
    contextCondense: { cost: 0.02, prevContextTokens: 9000, newContextTokens: 900, summary: FIRST_SUMMARY },
  }),
  say(at(2400), 'text', 'Continuing after the summary.'),
  say(at(2500), 'completion_result', 'Parser refactored.'),
  ask(at(2600), 'completion_result', ''),
  ask(at(2650), 'resume_completed_task', ''),
  say(at(2700), 'user_feedback', 'Attention: there are thousands of tasks!', { images: [] }),
  apiRequest(
    at(2800),
    `[attempt_completion] Result:\n\nThe user has provided feedback on the results. Consider their input to continue the task, and then attempt completion again.\n<feedback>\nAttention: there are thousands of tasks!\n</feedback>\n\n${ENV}`,
  ),
  ask(
    at(2900),
    'use_mcp_server',
    JSON.stringify({ type: 'use_mcp_tool', serverName: 'tasks', toolName: 'count' }),
  ),
  say(at(2950), 'mcp_server_request_started'),
  say(at(3000), 'mcp_server_response', '42 tasks found'),
  apiRequest(at(3100), `[use_mcp_tool for 'tasks'] Result:\n\n42 tasks found\n\n${ENV}`),
  say(at(3200), 'condense_context', undefined, {
    contextCondense: { cost: 0.03, prevContextTokens: 8000, newContextTokens: 800, summary: SECOND_SUMMARY },
  }),
  say(at(3250), 'error', 'Rate limited, retrying'),
  say(at(3300), 'text', 'Done after two condensations.'),
]

const text = (t: string) => [{ type: 'text', text: t }]
const user = (ts: number, t: string) => ({ role: 'user', ts, content: [...text(t), ...text(ENV)] })
const assistant = (ts: number, t: string) => ({ role: 'assistant', ts, content: text(t) })

/** The API history as Roo leaves it before the first condensation: every item. */
export const uncondensedItems = [
  user(at(1100), `<task>\n${PROMPT}\n</task>`),
  assistant(at(1450), 'Let me read the parser.\n<read_file><path>src/parser.ts</path></read_file>'),
  user(at(1500), "[read_file for 'src/parser.ts'] Result:\n\nexport function parseQuasar() {}"),
  assistant(at(1750), 'The parser exports parseQuasar.\n<ask_followup_question>…</ask_followup_question>'),
  user(
    at(1900),
    "[ask_followup_question for 'Keep the old API?'] Result:\n\n<answer>\nYes, keep it\n</answer>",
  ),
  assistant(at(2050), '<execute_command><command>npm test</command></execute_command>'),
  user(at(2200), "[execute_command for 'npm test'] Result:\n\nExit code: 0\nOutput:\n3 passed"),
]

/** After the second condensation: the first item, the summary that replaced the rest, and the last three. */
export const twiceCondensedItems = [
  uncondensedItems[0],
  { role: 'assistant', ts: at(3150), content: text(SECOND_SUMMARY), isSummary: true },
  assistant(at(2950), '<use_mcp_tool><server_name>tasks</server_name></use_mcp_tool>'),
  user(at(3100), "[use_mcp_tool for 'tasks'] Result:\n\n42 tasks found"),
  assistant(at(3350), 'Done after two condensations.'),
]
