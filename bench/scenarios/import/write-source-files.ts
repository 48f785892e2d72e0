/**
 * Writes generated conversations to disk in the assistants' own formats, as they would find them: Roo Code task
 * folders (api_conversation_history.json + ui_messages.json) and Claude Code session files (.jsonl, one line per
 * message, tool results as user lines, assistant usage on each line).
 */
import { appendFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { GeneratedConversation } from '../../corpus/conversation'

const block = (text: string) => [{ type: 'text', text }]

/**
 * The UI log as Roo writes it beside the API history: the prompt row, then per API request an api_req_started row
 * whose `request` carries the user side of the call (tool results and environment details), the assistant's text
 * and tool rows, and the user's replies as feedback rows.
 */
function uiLog(createdAt: number, messages: GeneratedConversation['messages']): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = []
  let pending: string[] = []
  let lastCommand = ''
  let started = false
  for (const m of messages) {
    const ts = m.createdAt ?? createdAt
    if (m.role === 'user' && m.kind !== 'tool_result') {
      rows.push({ ts, type: 'say', say: rows.length === 0 ? 'text' : 'user_feedback', text: m.text })
      pending.push(rows.length === 1 ? `<task>\n${m.text}\n</task>` : `<feedback>\n${m.text}\n</feedback>`)
    } else if (m.kind === 'tool_result') {
      pending.push(`[execute_command for '${lastCommand.slice(0, 60)}'] Result:\n${m.text}`)
    } else {
      if (!started || pending.length > 0) {
        const request = [
          ...pending,
          '<environment_details>\n# Current Mode\ncode\n</environment_details>',
        ].join('\n\n')
        const usage = { tokensIn: Math.ceil(request.length / 4), tokensOut: 50, cost: 0.001 }
        rows.push({
          ts: ts - 1,
          type: 'say',
          say: 'api_req_started',
          text: JSON.stringify({ request, ...usage }),
        })
        pending = []
        started = true
      }
      if (m.kind === 'tool_call') {
        lastCommand = m.text
        rows.push({ ts, type: 'ask', ask: 'command', text: m.text })
      } else rows.push({ ts, type: 'say', say: 'text', text: m.text })
    }
  }
  return rows
}

export function writeRooTask(tasksDir: string, generated: GeneratedConversation): number {
  const { conversation, messages } = generated
  const dir = join(tasksDir, conversation.sourceId)
  mkdirSync(dir, { recursive: true })
  const api = messages.map((m) => ({
    role: m.role === 'assistant' ? 'assistant' : 'user',
    content:
      m.kind === 'tool_result'
        ? [{ type: 'tool_result', tool_use_id: `t${m.ordinal}`, content: m.text }]
        : block(m.text),
    ts: m.createdAt,
  }))
  const ui = uiLog(conversation.createdAt, messages)
  const apiJson = JSON.stringify(api)
  const uiJson = JSON.stringify(ui)
  writeFileSync(join(dir, 'api_conversation_history.json'), apiJson)
  writeFileSync(join(dir, 'ui_messages.json'), uiJson)
  return Buffer.byteLength(apiJson) + Buffer.byteLength(uiJson)
}

/** The fields every line of a Claude Code session file has. */
export const claudeLineFields = (
  sessionId: string,
  cwd: string | null | undefined,
  uuid: string,
  parentUuid: string | null,
  at: number,
) => ({
  parentUuid,
  isSidechain: false,
  userType: 'external',
  cwd,
  sessionId,
  version: '2.1.42',
  uuid,
  timestamp: new Date(at).toISOString(),
})

export function writeClaudeSession(projectsDir: string, generated: GeneratedConversation): number {
  const { conversation, messages } = generated
  const project = join(projectsDir, (conversation.workspace ?? '/tmp').replace(/[^A-Za-z0-9]/g, '-'))
  mkdirSync(project, { recursive: true })
  const sessionId = conversation.sourceId
  let parent: string | null = null
  const lines = messages.map((m) => {
    const uuid = `${sessionId}-${m.ordinal}`
    const common = claudeLineFields(
      sessionId,
      conversation.workspace,
      uuid,
      parent,
      m.createdAt ?? conversation.createdAt,
    )
    parent = uuid
    if (m.role === 'assistant') {
      return {
        ...common,
        type: 'assistant',
        requestId: `req-${uuid}`,
        message: {
          id: `msg-${uuid}`,
          model: conversation.model,
          role: 'assistant',
          content:
            m.kind === 'tool_call'
              ? [{ type: 'tool_use', id: `t${m.ordinal}`, name: 'Bash', input: { command: m.text } }]
              : block(m.text),
          stop_reason: 'end_turn',
          usage: {
            input_tokens: Math.ceil(m.text.length / 4),
            output_tokens: 50,
            cache_read_input_tokens: 0,
            cache_creation_input_tokens: 0,
          },
        },
      }
    }
    const content =
      m.kind === 'tool_result'
        ? [{ type: 'tool_result', tool_use_id: `t${m.ordinal - 1}`, content: m.text }]
        : m.text
    return { ...common, type: 'user', message: { role: 'user', content } }
  })
  const text = lines.map((l) => JSON.stringify(l)).join('\n') + '\n'
  writeFileSync(join(project, `${sessionId}.jsonl`), text)
  return Buffer.byteLength(text)
}

/**
 * Appends one user line to each of the first `count` session files under `projects`, as Claude Code does while a
 * session is live: the line continues the file's last line. Returns the number of files appended to.
 */
export function appendToSessions(projects: string, count: number): number {
  let appended = 0
  for (const project of readdirSync(projects).sort()) {
    for (const name of readdirSync(join(projects, project)).sort()) {
      if (appended === count) return appended
      const path = join(projects, project, name)
      const lines = readFileSync(path, 'utf8').trimEnd().split('\n')
      const last = JSON.parse(lines.at(-1) ?? '{}') as Record<string, unknown>
      const uuid = `appended-${appended}`
      const line = {
        ...last,
        type: 'user',
        uuid,
        parentUuid: last.uuid,
        message: { role: 'user', content: 'go on' },
      }
      appendFileSync(path, `${JSON.stringify(line)}\n`)
      appended += 1
    }
  }
  return appended
}
