/**
 * A task's messages from its API history, for tasks without a UI log. The API sends tool output back as the user's
 * turn: a user item holding tool results (tool_result blocks, or text blocks opening with `[tool …] Result:`)
 * becomes a tool result, and an item that also carries the user's words (an answer to a question, feedback on a
 * completion) is split into the tool result and a user message holding just those words. Items are keyed by their
 * `ts`, which Roo writes on each; classic Cline's items have none, but Cline never removes items from the file.
 */
import type { MessageInput } from '../../../repository/writes'
import { keyedMessageIdentity } from '../../source-adapter'
import { toEpochMs } from '../../message-content'
import { apiItemToMessage } from './api-history'
import { startsWithToolResult, takeUserWords } from './api-request'
import { mapContent, scrubInlineData } from './content-blocks'
import {
  addEnvironment,
  environmentFacts,
  isEnvironmentDetails,
  type EnvironmentFacts,
} from './environment-details'
import { isRecord, omit, type JsonRecord } from './json-values'
import { keysFor, partKey } from './source-keys'

/** What a part of an item shows (its text) and the environment details that closed it (kept in its content). */
interface Part {
  readonly shown: unknown[]
  readonly environment: unknown[]
}

const textOf = (block: unknown): string | undefined =>
  typeof block === 'string'
    ? block
    : isRecord(block) && block.type === 'text' && typeof block.text === 'string'
      ? block.text
      : undefined

const textBlock = (text: string) => ({ type: 'text', text })

/**
 * The blocks of a user item sorted into tool output and the user's words, in order. The user's words are taken out
 * of the wrappers they arrive in (an answer, feedback, new instructions); environment details close a user message
 * (several can be joined in one item when a task resumes) and stay with the part they close.
 */
function partsOf(content: readonly unknown[]): { tool: Part; user: Part } {
  const tool: Part = { shown: [], environment: [] }
  const user: Part = { shown: [], environment: [] }
  let inTool = false
  for (const block of content) {
    const text = textOf(block)
    if (isRecord(block) && block.type === 'tool_result') inTool = true
    if (text === undefined) {
      ;(inTool ? tool : user).shown.push(block)
      continue
    }
    if (isEnvironmentDetails(text)) {
      ;(inTool ? tool : user).environment.push(block)
      inTool = false
      continue
    }
    inTool ||= startsWithToolResult(text)
    const { rest, words } = takeUserWords(text)
    user.shown.push(...words.map(textBlock))
    // Around the user's words is the assistant's wording ("New instructions for task continuation:"), or the tool's.
    if (inTool && rest !== '') tool.shown.push(rest === text ? block : textBlock(rest))
    else if (words.length === 0) user.shown.push(block)
  }
  return { tool, user }
}

const isEmpty = (part: Part) => part.shown.length === 0 && part.environment.length === 0

function partMessage(item: JsonRecord, part: Part, tool: boolean) {
  const shown = mapContent(part.shown)
  return {
    role: tool ? ('tool' as const) : ('user' as const),
    kind: tool ? ('tool_result' as const) : shown.kind,
    createdAt: toEpochMs(item.ts),
    text: shown.text,
    content:
      part.environment.length > 0 ? mapContent([...part.shown, ...part.environment]).content : shown.content,
    metadata: scrubInlineData(omit(item, ['role', 'content', 'ts'])) as JsonRecord,
  }
}

/** The parts of a user item that needs splitting; undefined when the item maps to one message as it is. */
function splitOf(item: unknown) {
  if (!isRecord(item) || item.role !== 'user' || item.isSummary === true || item.isTruncationMarker === true)
    return undefined
  const content = item.content
  const blocks = typeof content === 'string' ? [content] : Array.isArray(content) ? content : []
  const { tool, user } = partsOf(blocks)
  if (isEmpty(tool) && user.environment.length === 0 && user.shown.every((b, i) => b === blocks[i]))
    return undefined
  const parts = [...(isEmpty(tool) ? [] : [{ part: tool, tool: true }])]
  if (user.shown.length > 0 || parts.length === 0) parts.push({ part: user, tool: false })
  return { item, parts }
}

export interface ApiMessageMapper {
  /** Adds the item's messages to the list given to apiMessageMapper. */
  readonly add: (item: unknown, index: number) => void
}

export function apiMessageMapper(conversationId: string, messages: MessageInput[]): ApiMessageMapper {
  const keyOf = keysFor('api')
  const add = (item: unknown, index: number) => {
    const key = keyOf(isRecord(item) ? item.ts : undefined, index)
    const split = splitOf(item)
    if (!split) {
      const message = apiItemToMessage(item, conversationId, messages.length, key)
      messages.push({ ...message, ...keyedMessageIdentity(conversationId, key, messages.length) })
      return
    }
    split.parts.forEach(({ part, tool }, n) =>
      messages.push({
        ...keyedMessageIdentity(conversationId, partKey(key, n), messages.length),
        ...partMessage(split.item, part, tool),
      }),
    )
  }
  return { add }
}

/** The environment details of a user item: the workspace and model it names. */
export function itemEnvironment(item: unknown): EnvironmentFacts {
  if (!isRecord(item) || item.role !== 'user') return {}
  const blocks = Array.isArray(item.content) ? item.content : [item.content]
  let facts: EnvironmentFacts = {}
  for (const block of blocks) {
    const text = textOf(block)
    if (text !== undefined && text.includes('<environment_details>'))
      facts = addEnvironment(facts, environmentFacts(text))
  }
  return facts
}
