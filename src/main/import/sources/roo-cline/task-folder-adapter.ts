/**
 * Roo Code and classic Cline keep one folder per task with the same files, so one adapter serves both,
 * parameterised by source. Messages come from the API history (what the model saw); the UI log supplies the
 * prompt, usage and time span, and stands in for the messages when the API history is missing.
 */
import { basename } from 'node:path'
import type { ConversationInput, MessageInput } from '../../../repository/writes'
import { conversationIdFor, UnitReadError, type SourceAdapter, type SourceUnit } from '../../source-adapter'
import { apiItemToMessage, itemFacts, lastModel, sumItemMetrics } from './api-history'
import { modelFromTaskMetadata, findInTaskList, historyFacts } from './history-item'
import { modelFromMessages, workspaceFromMessages } from './environment-details'
import { readJsonArrayItems } from './json-array-file'
import { readJsonFile } from './json-file'
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
import { uiFallbackMessage } from './ui-fallback-messages'
import { rowFacts, uiPrompt, uiTimeSpan, uiUsage } from './ui-messages'

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

interface MessageFile {
  /** What the summaries read of each element (see itemFacts, rowFacts); never the elements themselves. */
  readonly facts: unknown[]
  readonly mtimeMs: number
}

/**
 * Streams a message file: each element becomes its message (if `toMessage` gives one) and its facts before the
 * next is parsed, so the raw element, base64 images and all, can be collected straight away.
 */
async function readMessageFile(
  path: string,
  messages: MessageInput[],
  factsOf: (item: unknown, index: number) => unknown,
  toMessage?: (item: unknown, index: number, ordinal: number) => MessageInput | undefined,
): Promise<MessageFile> {
  const facts: unknown[] = []
  const { mtimeMs } = await readJsonArrayItems(path, (item, index) => {
    const message = toMessage?.(item, index, messages.length)
    if (message) messages.push(message)
    facts.push(factsOf(item, index))
  })
  return { facts, mtimeMs }
}

const firstUserText = (messages: readonly MessageInput[]): string | undefined =>
  messages.find((m) => m.role === 'user' && m.text.trim() !== '')?.text

export async function readTask(source: TaskSource, unit: SourceUnit) {
  const taskId = taskIdOf(unit)
  const apiPath = fileNamed(unit, [API_FILE])
  const uiPath = fileNamed(unit, [UI_FILE, LEGACY_UI_FILE])
  if (!apiPath && !uiPath) throw new UnitReadError(unit.key, `has neither ${API_FILE} nor ${UI_FILE}`)
  const id = conversationIdFor(source, taskId)
  // Messages come from the API history when there is one, otherwise from the UI log.
  const messages: MessageInput[] = []
  const api = apiPath
    ? await readMessageFile(apiPath, messages, itemFacts, (item, _, ordinal) =>
        apiItemToMessage(item, id, ordinal),
      )
    : undefined
  const ui = uiPath
    ? await readMessageFile(
        uiPath,
        messages,
        rowFacts,
        api ? undefined : (row, index, ordinal) => uiFallbackMessage(row, index, ordinal, id),
      )
    : undefined
  const listPath = fileNamed(unit, TASK_LIST_FILES)
  const item =
    (await readObject(fileNamed(unit, [HISTORY_FILE]))) ??
    (listPath ? findInTaskList((await readJsonFile(listPath)).value, taskId) : undefined)
  const taskMetadata = await readObject(fileNamed(unit, [METADATA_FILE]))

  const history = historyFacts(item)
  const span = ui ? uiTimeSpan(ui.facts) : {}
  const messageTimes = messages.map((m) => m.createdAt)
  // Cline names task folders after Date.now() at creation: the last resort for when the task started.
  const idTime = /^\d{13}$/.test(taskId) ? Number(taskId) : undefined
  const fileTime = Math.round(Math.min(api?.mtimeMs ?? Infinity, ui?.mtimeMs ?? Infinity))
  const createdAt = minOf([...messageTimes, span.first]) ?? idTime ?? history.ts ?? fileTime
  const lastActivityAt = maxOf([...messageTimes, span.last, history.ts, createdAt]) ?? createdAt
  const usage = ui ? uiUsage(ui.facts) : (history.usage ?? (api ? sumItemMetrics(api.facts) : undefined))
  const title =
    titleFrom(history.title) ?? titleFrom(ui && uiPrompt(ui.facts)) ?? titleFrom(firstUserText(messages))

  const conversation: ConversationInput = {
    id,
    source,
    sourceId: taskId,
    title: title ?? `Task ${taskId}`,
    workspace: history.workspace ?? workspaceFromMessages(messages) ?? null,
    model:
      history.model ??
      (api && lastModel(api.facts)) ??
      modelFromTaskMetadata(taskMetadata) ??
      modelFromMessages(messages) ??
      null,
    createdAt,
    updatedAt: lastActivityAt,
    lastActivityAt,
    ...usage,
    parentId: history.parentTaskId ? conversationIdFor(source, history.parentTaskId) : null,
    metadata: { ...history.extras, ...(api ? {} : { messagesFrom: 'ui_messages' }) },
  }
  return [{ conversation, messages }]
}

export const makeTaskFolderAdapter = (source: TaskSource): SourceAdapter => ({
  source,
  findUnits: (root) => findTaskUnits(source, root),
  readUnit: (unit) => readTask(source, unit),
})
