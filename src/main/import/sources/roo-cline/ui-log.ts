/**
 * A task's messages from its UI log, row by row: every row the assistant's window shows, and the tool results that
 * only the model saw, read from each api_req_started row's request. The UI log keeps every row of a task, while
 * Roo's context condensation shortens the API history, so this is the one complete record.
 *
 * Each row's text is parsed at most once: an api_req_started row gives its tool results and the request's usage
 * (request-usage.ts; its figures are kept in the row's facts for the task's totals too). The usage goes to the
 * response, as Claude Code logs it: the first assistant message after the request carries it. A request no
 * assistant message answers (cancelled, failed, answered by the user) is a line of its own, "API request", so its
 * cost is still counted and shown. A request still in flight at the end of the log (no figures yet) is left for
 * the next read, which will find its response: written now, it would stay behind as a message gone from its source.
 * A line per request was a quarter of a Roo task's messages, each one indexed for search under "API request".
 *
 * Claude Dev and early Cline wrote the figures into an api_req_finished row after the request's row (the
 * assistants' combineApiRequests still merges such a pair): they go to the request before it, or to the message
 * that took its usage.
 *
 * A request's model is the one its row names (Cline's modelInfo), else the one its own environment details name
 * (Roo writes <model> into every request), else the task's, which the adapter fills in when it knows it.
 */
import type { ResponseUsage } from '../../../../shared/usage/response-usage'
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
  /** Call after the last row: writes out the last request if no message answered it (see above). */
  readonly finish: () => void
}

/** An API request waiting for the message after it. */
interface PendingRequest {
  readonly row: JsonRecord
  readonly key: string
  readonly info: JsonRecord
  readonly model: string | null
  readonly usage: ResponseUsage | null
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
  // The last request, until the next message shows whether an assistant message answers it.
  let pending: PendingRequest | null = null
  // A request without figures yet, whose api_req_finished row may bring them: the message that took its place.
  let open: { readonly at: number; readonly key: string; readonly model: string | null } | null = null

  const requestLine = (request: PendingRequest): MessageInput => {
    const cancelled = asString(request.info.cancelReason)
    return {
      ...keyedMessageIdentity(conversationId, `${request.key}-request`, messages.length),
      role: 'system',
      kind: 'event',
      createdAt: toEpochMs(request.row.ts),
      text: cancelled ? `API request (${cancelled})` : 'API request',
      // The request's text is in its tool results and the messages before it: the figures are what is left.
      content: omit(request.info, ['request']),
      metadata: { say: 'api_req_started' },
      ...(request.usage && { usage: request.usage }),
    }
  }

  /** The waiting request as a line of its own: what came next (or the next request) is no answer to it. */
  const writePending = () => {
    const request = pending
    pending = null
    if (!request) return
    if (!request.usage) open = { at: messages.length, key: request.key, model: request.model }
    messages.push(requestLine(request))
  }

  /** At the end of the log, a request with figures or a cancellation is over; one without is still in flight. */
  const finish = () => {
    if (pending && (pending.usage || asString(pending.info.cancelReason))) writePending()
    pending = null
  }

  /** Appends a message at the end (its ordinal is its place), giving it the waiting request's usage if it answers. */
  const push = (message: MessageInput) => {
    if (pending && message.role === 'assistant' && !message.usage) {
      const { usage, key, model } = pending
      pending = null
      if (!usage) open = { at: messages.length, key, model }
      messages.push({ ...message, ordinal: messages.length, ...(usage && { usage }) })
      return
    }
    writePending()
    messages.push({ ...message, ordinal: messages.length })
  }

  const addResults = (row: JsonRecord, key: string, results: readonly ToolResultSection[]) => {
    results.forEach((result, n) => {
      if (shown.includes(result.text)) return
      push({
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
    writePending()
    addResults(row, key, request.results)
    const model = modelOfInfo(row.modelInfo) ?? request.environment.model ?? null
    const usage = requestUsage(info, key, model)
    open = null
    pending = { row, key, info, model, usage }
    return rowFacts(row, index, usage ? totalsOf(usage) : undefined)
  }

  const finishRequest = (row: JsonRecord, index: number) => {
    const info = parsedText(row)
    if (pending && !pending.usage && info) {
      const usage = requestUsage(info, pending.key, pending.model)
      if (usage) pending = { ...pending, usage }
      return rowFacts(row, index, usage ? totalsOf(usage) : undefined)
    }
    const answered = open && messages[open.at]
    const usage = open && info ? requestUsage(info, open.key, open.model) : null
    if (!open || !answered || !usage) return rowFacts(row, index)
    messages[open.at] = { ...answered, usage }
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
      push(usage ? { ...message, usage } : message)
      if (message.kind === 'tool_result') shown.push(message.text.trim())
    }
    return rowFacts(row, index, usage && message ? totalsOf(usage) : undefined)
  }

  return { add, environment: () => environment, finish }
}
