/**
 * Finds Roo/Cline task folders from the place the user named: the extension's globalStorage folder (holding
 * tasks/), a tasks/ folder, a single task folder, or one of its files. Reads directory listings only. Symbolic
 * links to folders are never entered (no loops, nothing outside the root).
 */
import { stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { unlistableFolder } from '../../file-errors'
import type { SourceUnit } from '../../source-adapter'
import { sortedEntries, statRoot } from './directory'

export type TaskSource = 'roo' | 'cline'

export const API_FILE = 'api_conversation_history.json'
export const UI_FILE = 'ui_messages.json'
export const LEGACY_UI_FILE = 'claude_messages.json'
export const HISTORY_FILE = 'history_item.json'
export const METADATA_FILE = 'task_metadata.json'
export const TASK_LIST_FILES = ['_index.json', 'taskHistory.json'] as const

const MESSAGE_FILES = [API_FILE, UI_FILE, LEGACY_UI_FILE]

const isTaskFolder = (names: ReadonlySet<string>): boolean => MESSAGE_FILES.some((n) => names.has(n))

/**
 * The unit of one task folder. A directory where a file belongs is listed anyway so the read reports it. The task
 * list is fingerprinted only for a task that needs it for its title (no HistoryItem, no UI log): with it, every
 * other task would be read again whenever any task changes.
 */
function unitFor(source: TaskSource, dir: string, names: ReadonlySet<string>, taskList?: string): SourceUnit {
  const ui = names.has(UI_FILE) ? UI_FILE : names.has(LEGACY_UI_FILE) ? LEGACY_UI_FILE : undefined
  const files = [API_FILE, ui, HISTORY_FILE, METADATA_FILE].filter((n): n is string => !!n && names.has(n))
  const needsList = taskList !== undefined && !names.has(HISTORY_FILE) && ui === undefined
  return { key: dir, source, files: [...files.map((f) => join(dir, f)), ...(needsList ? [taskList] : [])] }
}

async function taskUnit(source: TaskSource, dir: string, taskList?: string): Promise<SourceUnit | undefined> {
  let names: Set<string>
  try {
    // Linked files are listed too: the read refuses to follow them and says so, rather than skipping them.
    names = new Set((await sortedEntries(dir)).map((e) => e.name))
  } catch (error) {
    // Unlistable (permissions): reported with the folder's path instead of skipped.
    return unlistableFolder(source, dir, error) ?? undefined
  }
  return isTaskFolder(names) ? unitFor(source, dir, names, taskList) : undefined
}

async function* scanTasks(
  source: TaskSource,
  tasksDir: string,
  taskList?: string,
): AsyncIterable<SourceUnit> {
  for (const entry of await sortedEntries(tasksDir)) {
    if (!entry.isDirectory()) continue // Dirent does not follow symlinks: a linked folder is not a directory here.
    const unit = await taskUnit(source, join(tasksDir, entry.name), taskList)
    if (unit) yield unit
  }
}

const existing = async (path: string): Promise<string | undefined> => {
  try {
    return (await stat(path)).isFile() ? path : undefined
  } catch {
    return undefined
  }
}

export async function* findTaskUnits(source: TaskSource, root: string): AsyncIterable<SourceUnit> {
  const info = await statRoot(root)
  if (!info.isDirectory()) {
    if ([...MESSAGE_FILES, HISTORY_FILE].includes(basename(root))) {
      const unit = await taskUnit(source, dirname(root))
      if (unit) yield unit
    }
    return
  }
  const entries = await sortedEntries(root)
  const names = new Set(entries.map((e) => e.name))
  if (isTaskFolder(names)) {
    yield unitFor(source, root, names)
    return
  }
  const hasTasks = entries.some((e) => e.name === 'tasks' && e.isDirectory())
  const tasksDir = hasTasks ? join(root, 'tasks') : root
  const listPath =
    source === 'roo'
      ? join(tasksDir, '_index.json')
      : hasTasks
        ? join(root, 'state', 'taskHistory.json')
        : undefined
  yield* scanTasks(source, tasksDir, listPath ? await existing(listPath) : undefined)
}
