/**
 * A task's messages from its UI log, row by row: every row the assistant's window shows, and the tool results that
 * only the model saw, read from each api_req_started row's request. The UI log keeps every row of a task, while
 * Roo's context condensation shortens the API history, so this is the one complete record.
 *
 * Each row's text is parsed at most once: an api_req_started row gives its usage (kept in its facts) and its tool
 * results (kept as messages) from the same parse.
 */
import { keyedMessageIdentity } from '../../source-adapter'
import type { MessageInput } from '../../../repository/writes'
import { toEpochMs } from '../../message-content'
import { readRequest, type ToolResultSection } from './api-request'
import { addEnvironment, type EnvironmentFacts } from './environment-details'
import { asString, isRecord, type JsonRecord } from './json-values'
import { keysFor, partKey } from './source-keys'
import { requestUsage, rowFacts, type RowFacts } from './ui-messages'
import { uiRowMessage } from './ui-row-message'

export interface UiLogMapper {
  /** Adds the row's messages to the list given to uiLogMapper and returns what the summaries read of it. */
  readonly add: (row: unknown, index: number) => RowFacts | null
  /** What the requests' environment details named so far. */
  readonly environment: () => EnvironmentFacts
}

function parsedText(row: JsonRecord): JsonRecord | undefined {
  const text = asString(row.text)
  if (!text?.startsWith('{')) return undefined
  try {
    const value: unknown = JSON.parse(text)
    return isRecord(value) ? value : undefined
  } catch {
    return undefined
  }
}

export function uiLogMapper(conversationId: string, messages: MessageInput[]): UiLogMapper {
  const keyOf = keysFor('ui')
  let environment: EnvironmentFacts = {}
  // Tool output the window showed since the last request (MCP responses): the request repeats it word for word.
  let shown: string[] = []

  const addResults = (row: JsonRecord, key: string, results: readonly ToolResultSection[]) => {
    results.forEach((result, n) => {
      if (shown.includes(result.text)) return
      messages.push({
        ...keyedMessageIdentity(conversationId, partKey(key, n), messages.length),
        role: 'tool',
        kind: 'tool_result',
        createdAt: toEpochMs(row.ts),
        text: result.text,
        metadata: { say: 'api_req_started', description: result.description },
      })
    })
    shown = []
  }

  const add = (row: unknown, index: number): RowFacts | null => {
    const key = keyOf(isRecord(row) ? row.ts : undefined, index)
    if (isRecord(row) && row.say === 'api_req_started') {
      const info = parsedText(row)
      if (!info) return rowFacts(row, index)
      const request = readRequest(info.request)
      environment = addEnvironment(environment, request.environment)
      addResults(row, key, request.results)
      return rowFacts(row, index, requestUsage(info))
    }
    const message = uiRowMessage(row, index, keyedMessageIdentity(conversationId, key, messages.length))
    if (message) {
      messages.push(message)
      if (message.kind === 'tool_result') shown.push(message.text.trim())
    }
    return rowFacts(row, index)
  }

  return { add, environment: () => environment }
}
