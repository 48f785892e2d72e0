/**
 * Roo Code and classic Cline keep one folder per task with the same files, so one adapter serves both; the unit
 * says which of the two a folder is. Messages come from the UI log when there is one (every row the assistant's
 * window shows, with the tool output of each API request), otherwise from the API history, which Roo's context
 * condensation shortens. Both files are read for what they say about the whole task: usage, model, workspace.
 */
import { basename } from 'node:path'
import type { ConversationInput, MessageInput } from '../../../repository/writes'
import { conversationIdFor, UnitReadError, type SourceAdapter, type SourceUnit } from '../../source-adapter'
import { lastModel, sumItemMetrics } from './api-history'
import { apiMessageMapper, itemEnvironment } from './api-messages'
import { addEnvironment, type EnvironmentFacts } from './environment-details'
import { modelFromTaskMetadata, findInTaskList, historyFacts } from './history-item'
import { readJsonArrayItems } from './json-array-file'
import { readJsonFile } from './json-file'
import { toEpochMs } from '../../message-content'
import { isRecord, maxOf, minOf } from './json-values'
import {
  API_FILE,
  findTaskUnits,
  HISTORY_FILE,
  LEGACY_UI_FILE,
  METADATA_FILE,
  TASK_LIST_FILES,
  UI_FILE,
  type TaskSource,
} from './task-folders'
import { titleFrom } from './title'
import { uiLogMapper } from './ui-log'
import { uiPrompt, uiTimeSpan, uiUsage, type RowFacts } from './ui-messages'

/** The task id is the folder name; it becomes part of an id and must never name another place. */
export function taskIdOf(unit: SourceUnit): string {
  const id = basename(unit.key)
  const segments = unit.key.split(/[\\/]/)
  if (id === '' || segments.includes('..') || id === '.' || /[\\/\0]/.test(id))
    throw new UnitReadError(unit.key, 'is not a valid task folder name')
  return id
}

const fileNamed = (unit: SourceUnit, names: readonly string[]): string | undefined =>
  unit.files.find((f) => names.includes(basename(f)))

async function readObject(path: string | undefined): Promise<Record<string, unknown> | undefined> {
  if (!path) return undefined
  const { value } = await readJsonFile(path)
  if (!isRecord(value)) throw new UnitReadError(path, 'is not a JSON object')
  return value
}

interface MessageFile<Facts> {
  /** What the summaries read of each element (see itemFacts, rowFacts); never the elements themselves. */
  readonly facts: Facts[]
  readonly mtimeMs: number
}

/**
 * Streams a message file: each element gives its messages and facts before the next is parsed, so the raw
 * element, base64 images and all, can be collected straight away.
 */
async function readMessageFile<Facts>(
  path: string,
  read: (item: unknown, index: number) => Facts,
): Promise<MessageFile<Facts>> {
  const facts: Facts[] = []
  const { mtimeMs } = await readJsonArrayItems(path, (item, index) => facts.push(read(item, index)))
  return { facts, mtimeMs }
}

interface ApiFacts {
  readonly ts?: number | null
  readonly modelInfo?: unknown
  readonly metrics?: unknown
  readonly environment: EnvironmentFacts
}

/** What lastModel, sumItemMetrics and environmentOf read of an item, so the items themselves need not be kept. */
const apiFacts = (item: unknown): ApiFacts => {
  const environment = itemEnvironment(item)
  if (!isRecord(item)) return { environment }
  return { ts: toEpochMs(item.ts), modelInfo: item.modelInfo, metrics: item.metrics, environment }
}

const environmentOf = (facts: readonly ApiFacts[]): EnvironmentFacts =>
  facts.reduce<EnvironmentFacts>((known, f) => addEnvironment(known, f.environment), {})

const firstUserText = (messages: readonly MessageInput[]): string | undefined =>
  messages.find((m) => m.role === 'user' && m.text.trim() !== '')?.text

const asTaskSource = (source: string, fallback: TaskSource): TaskSource =>
  source === 'roo' || source === 'cline' ? source : fallback

/** Reads one task folder; `fallback` names the source only when the unit's own is neither Roo nor Cline. */
export async function readTask(unit: SourceUnit, fallback: TaskSource = 'roo') {
  const source = asTaskSource(unit.source, fallback)
  const taskId = taskIdOf(unit)
  const apiPath = fileNamed(unit, [API_FILE])
  const uiPath = fileNamed(unit, [UI_FILE, LEGACY_UI_FILE])
  if (!apiPath && !uiPath) throw new UnitReadError(unit.key, `has neither ${API_FILE} nor ${UI_FILE}`)
  const id = conversationIdFor(source, taskId)
  const messages: MessageInput[] = []
  const uiLog = uiLogMapper(id, messages)
  const ui = uiPath ? await readMessageFile<RowFacts | null>(uiPath, uiLog.add) : undefined
  uiLog.finish()
  // A UI log without rows says nothing: the API history is all there is.
  const fromUi = ui !== undefined && ui.facts.length > 0
  const apiItems = apiMessageMapper(id, fromUi ? [] : messages)
  const api = apiPath
    ? await readMessageFile(apiPath, (item, index) => {
        if (!fromUi) apiItems.add(item, index)
        return apiFacts(item)
      })
    : undefined
  const listPath = fileNamed(unit, TASK_LIST_FILES)
  const item =
    (await readObject(fileNamed(unit, [HISTORY_FILE]))) ??
    (listPath ? findInTaskList((await readJsonFile(listPath)).value, taskId) : undefined)
  const taskMetadata = await readObject(fileNamed(unit, [METADATA_FILE]))

  const history = historyFacts(item)
  const span = ui ? uiTimeSpan(ui.facts) : {}
  // Roo stamps an API item when it is complete, a UI row when it starts: the last item can be the latest time.
  const messageTimes = [...messages.map((m) => m.createdAt), ...(api?.facts.map((f) => f.ts) ?? [])]
  // Cline names task folders after Date.now() at creation: the last resort for when the task started.
  const idTime = /^\d{13}$/.test(taskId) ? Number(taskId) : undefined
  const fileTime = Math.round(Math.min(api?.mtimeMs ?? Infinity, ui?.mtimeMs ?? Infinity))
  const createdAt = minOf([...messageTimes, span.first]) ?? idTime ?? history.ts ?? fileTime
  const lastActivityAt = maxOf([...messageTimes, span.last, history.ts, createdAt]) ?? createdAt
  const usage =
    ui && fromUi ? uiUsage(ui.facts) : (history.usage ?? (api ? sumItemMetrics(api.facts) : undefined))
  const title =
    titleFrom(history.title) ?? titleFrom(ui && uiPrompt(ui.facts)) ?? titleFrom(firstUserText(messages))
  const environment = addEnvironment(uiLog.environment(), api ? environmentOf(api.facts) : {})

  const model =
    history.model ??
    (api && lastModel(api.facts)) ??
    modelFromTaskMetadata(taskMetadata) ??
    environment.model ??
    null
  const conversation: ConversationInput = {
    id,
    source,
    sourceId: taskId,
    title: title ?? `Task ${taskId}`,
    workspace: history.workspace ?? environment.workspace ?? null,
    model,
    createdAt,
    updatedAt: lastActivityAt,
    lastActivityAt,
    ...usage,
    parentId: history.parentTaskId ? conversationIdFor(source, history.parentTaskId) : null,
    metadata: {
      ...history.extras,
      messagesFrom: fromUi ? 'ui_messages' : 'api_conversation_history',
    },
  }
  return [{ conversation, messages: withModel(messages, model) }]
}

/** Requests whose rows and items name no model were sent to the task's, as far as the task says. */
function withModel(messages: MessageInput[], model: string | null): MessageInput[] {
  if (model === null) return messages
  for (const [i, m] of messages.entries())
    if (m.usage && m.usage.model === null) messages[i] = { ...m, usage: { ...m.usage, model } }
  return messages
}

export const makeTaskFolderAdapter = (source: TaskSource): SourceAdapter => ({
  source,
  findUnits: (root) => findTaskUnits(source, root),
  readUnit: (unit) => readTask(unit, source),
})
