/**
 * A task's messages from its UI log, row by row: every row the assistant's window shows, and the tool results that
 * only the model saw, read from each api_req_started row's request. The UI log keeps every row of a task, while
 * Roo's context condensation shortens the API history, so this is the one complete record.
 *
 * Each row's text is parsed at most once: an api_req_started row gives its tool results and a message of its own,
 * the request as the window shows it ("API Request $0.14"), which carries the request's usage (request-usage.ts;
 * its figures are kept in the row's facts for the task's totals too).
 *
 * Claude Dev and early Cline wrote the figures into an api_req_finished row after the request's row (the
 * assistants' combineApiRequests still merges such a pair): they go to the request before it.
 *
 * A request's model is the one its row names (Cline's modelInfo), else the one its own environment details name
 * (Roo writes <model> into every request), else the task's, which the adapter fills in when it knows it.
 */
import { keyedMessageIdentity } from '../../source-adapter'
import type { MessageInput } from '../../../repository/writes'
import { toEpochMs } from '../../message-content'
import { readRequest, type ToolResultSection } from './api-request'
import { addEnvironment, type EnvironmentFacts } from './environment-details'
import { totalsOf } from './api-history'
import { asString, isRecord, omit, type JsonRecord } from './json-values'
import { condenseUsage, modelOfInfo, requestUsage } from './request-usage'
import { keysFor, partKey } from './source-keys'
import { rowFacts, type RowFacts } from './ui-messages'
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
  // The request an api_req_finished row would complete: its message's place, key and model.
  let open: { readonly at: number; readonly key: string; readonly model: string | null } | null = null

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

  const addRequest = (row: JsonRecord, key: string, info: JsonRecord, index: number) => {
    const request = readRequest(info.request)
    environment = addEnvironment(environment, request.environment)
    addResults(row, key, request.results)
    const model = modelOfInfo(row.modelInfo) ?? request.environment.model ?? null
    const usage = requestUsage(info, key, model)
    const cancelled = asString(info.cancelReason)
    open = usage ? null : { at: messages.length, key, model }
    messages.push({
      ...keyedMessageIdentity(conversationId, `${key}-request`, messages.length),
      role: 'system',
      kind: 'event',
      createdAt: toEpochMs(row.ts),
      text: cancelled ? `API request (${cancelled})` : 'API request',
      // The request's text is in its tool results and the messages before it: the figures are what is left.
      content: omit(info, ['request']),
      metadata: { say: 'api_req_started' },
      ...(usage && { usage }),
    })
    return rowFacts(row, index, usage ? totalsOf(usage) : undefined)
  }

  const finishRequest = (row: JsonRecord, index: number) => {
    const info = parsedText(row)
    const request = open && messages[open.at]
    const usage = open && info ? requestUsage(info, open.key, open.model) : null
    if (!open || !request || !usage) return rowFacts(row, index)
    messages[open.at] = { ...request, usage }
    open = null
    return rowFacts(row, index, totalsOf(usage))
  }

  const add = (row: unknown, index: number): RowFacts | null => {
    const key = keyOf(isRecord(row) ? row.ts : undefined, index)
    if (isRecord(row) && row.say === 'api_req_started') {
      const info = parsedText(row)
      return info ? addRequest(row, key, info, index) : rowFacts(row, index)
    }
    if (isRecord(row) && row.say === 'api_req_finished') return finishRequest(row, index)
    const identity = keyedMessageIdentity(conversationId, key, messages.length)
    const message = uiRowMessage(row, index, identity)
    const usage = isRecord(row) && row.say === 'condense_context' ? condenseUsage(row, key, null) : null
    if (message) {
      messages.push(usage ? { ...message, usage } : message)
      if (message.kind === 'tool_result') shown.push(message.text.trim())
    }
    return rowFacts(row, index, usage && message ? totalsOf(usage) : undefined)
  }

  return { add, environment: () => environment }
}
