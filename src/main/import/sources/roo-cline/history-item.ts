/**
 * The task's HistoryItem (history_item.json, or its entry in the task list) and Cline's task_metadata.json: the
 * facts about a task that its message files do not hold, such as workspace, parent task and mode.
 */
import { toEpochMs } from '../../message-content'
import type { Usage } from './api-history'
import { asNumber, asString, isRecord, omit, type JsonRecord } from './json-values'

export interface HistoryFacts {
  readonly title?: string
  readonly workspace?: string
  readonly model?: string
  /** The assistants set it to the last relevant message's time, not to the task's start. */
  readonly ts?: number
  readonly usage?: Usage
  readonly parentTaskId?: string
  /** Everything not mapped to a column: mode, number, rootTaskId, childIds, status, isFavorited, ulid, ... */
  readonly extras: JsonRecord
}

// Mapped to columns, or (size) the folder's size on disk, which says nothing about the conversation.
const MAPPED = [
  'id',
  'task',
  'ts',
  'tokensIn',
  'tokensOut',
  'cacheWrites',
  'cacheReads',
  'totalCost',
  'workspace',
  'cwdOnTaskInitialization',
  'modelId',
  'parentTaskId',
  'size',
]

/** Roo's tasks/_index.json and Cline's state/taskHistory.json: an array of HistoryItems or an object holding one. */
export function findInTaskList(list: unknown, taskId: string): JsonRecord | undefined {
  const holders = isRecord(list) ? [list.items, list.tasks, list.taskHistory, list.entries, list.history] : []
  const items = Array.isArray(list)
    ? list
    : (holders.find(Array.isArray) ?? (isRecord(list) ? Object.values(list) : []))
  return items.find((item): item is JsonRecord => isRecord(item) && item.id === taskId)
}

export function historyFacts(item: JsonRecord | undefined): HistoryFacts {
  if (!item) return { extras: {} }
  const counted = ['tokensIn', 'tokensOut', 'totalCost'].some((k) => asNumber(item[k]) !== undefined)
  return {
    title: asString(item.task),
    workspace: asString(item.workspace) || asString(item.cwdOnTaskInitialization) || undefined,
    model: asString(item.modelId) || undefined,
    ts: toEpochMs(item.ts) ?? undefined,
    usage: counted
      ? {
          tokensIn: asNumber(item.tokensIn) ?? 0,
          tokensOut: asNumber(item.tokensOut) ?? 0,
          cacheReads: asNumber(item.cacheReads) ?? 0,
          cacheWrites: asNumber(item.cacheWrites) ?? 0,
          cost: asNumber(item.totalCost) ?? 0,
        }
      : undefined,
    parentTaskId: asString(item.parentTaskId) || undefined,
    extras: omit(item, MAPPED),
  }
}

/** Cline's task_metadata.json records every model used, in order: the last one is the task's current model. */
export function modelFromTaskMetadata(value: unknown): string | undefined {
  const usage = isRecord(value) && Array.isArray(value.model_usage) ? value.model_usage : []
  for (let i = usage.length - 1; i >= 0; i--) {
    const entry: unknown = usage[i]
    const model = isRecord(entry) ? asString(entry.model_id) : undefined
    if (model) return model
  }
  return undefined
}
