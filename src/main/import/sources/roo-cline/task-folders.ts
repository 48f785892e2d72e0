/**
 * Finds Roo/Cline task folders from the place the user named: the extension's globalStorage folder (holding
 * tasks/), a tasks/ folder, a single task folder, or one of its files. Each unit carries its task's source: the one
 * given (a discovered storage folder, --source) or, for 'content', what the task itself tells (task-source.ts),
 * so one folder may yield tasks of both. Reads directory listings, and for 'content' at most the first bytes of a
 * task's message files. Symbolic links to folders are never entered (no loops, nothing outside the root).
 */
import { stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { unlistableFolder } from '../../file-errors'
import type { SourceUnit } from '../../source-adapter'
import { sortedEntries, statRoot } from './directory'
import {
  storageFolderSource,
  taskSourceOf,
  UNDECIDED_SOURCE,
  type StorageFacts,
  type TaskSource,
} from './task-source'

export type { TaskSource } from './task-source'

/** A source for every task, or 'content': each task's own. */
export type TaskSourceChoice = TaskSource | 'content'

export const API_FILE = 'api_conversation_history.json'
export const UI_FILE = 'ui_messages.json'
export const LEGACY_UI_FILE = 'claude_messages.json'
export const HISTORY_FILE = 'history_item.json'
export const METADATA_FILE = 'task_metadata.json'
export const TASK_LIST_FILES = ['_index.json', 'taskHistory.json'] as const

const MESSAGE_FILES = [API_FILE, UI_FILE, LEGACY_UI_FILE]

const isTaskFolder = (names: ReadonlySet<string>): boolean => MESSAGE_FILES.some((n) => names.has(n))

/** The task lists found beside a tasks/ folder, by the source that writes each. */
interface TaskLists {
  readonly roo?: string
  readonly cline?: string
}

const storageFacts = (lists: TaskLists): StorageFacts => ({
  rooIndex: lists.roo !== undefined,
  clineHistory: lists.cline !== undefined,
})

const uiName = (names: ReadonlySet<string>): string | undefined =>
  names.has(UI_FILE) ? UI_FILE : names.has(LEGACY_UI_FILE) ? LEGACY_UI_FILE : undefined

/**
 * The unit of one task folder. A directory where a file belongs is listed anyway so the read reports it. The task
 * list is fingerprinted only for a task that needs it for its title (no HistoryItem, no UI log): with it, every
 * other task would be read again whenever any task changes.
 */
function unitFor(source: TaskSource, dir: string, names: ReadonlySet<string>, taskList?: string): SourceUnit {
  const ui = uiName(names)
  const files = [API_FILE, ui, HISTORY_FILE, METADATA_FILE].filter((n): n is string => !!n && names.has(n))
  const needsList = taskList !== undefined && !names.has(HISTORY_FILE) && ui === undefined
  return { key: dir, source, files: [...files.map((f) => join(dir, f)), ...(needsList ? [taskList] : [])] }
}

/**
 * The source a unit that is only reported (unlistable, undecided) is recorded under: such a unit is never read,
 * so nothing is filed under it.
 */
const reportedUnder = (choice: TaskSourceChoice, dir: string): TaskSource =>
  choice === 'content' ? (storageFolderSource(dir) ?? 'roo') : choice

async function unitOf(
  choice: TaskSourceChoice,
  dir: string,
  names: ReadonlySet<string>,
  lists: TaskLists = {},
): Promise<SourceUnit> {
  const ui = uiName(names)
  const source =
    choice !== 'content'
      ? choice
      : await taskSourceOf({
          dir,
          names,
          storage: storageFacts(lists),
          ...(ui && { ui: join(dir, ui) }),
          ...(names.has(API_FILE) && { api: join(dir, API_FILE) }),
        })
  // Not a silent guess: the task is listed as a problem naming the choices, and the other tasks go on.
  if (!source) return { key: dir, source: reportedUnder(choice, dir), files: [], problem: UNDECIDED_SOURCE }
  return unitFor(source, dir, names, lists[source])
}

async function taskUnit(
  choice: TaskSourceChoice,
  dir: string,
  lists?: TaskLists,
): Promise<SourceUnit | undefined> {
  let names: Set<string>
  try {
    // Linked files are listed too: the read refuses to follow them and says so, rather than skipping them.
    names = new Set((await sortedEntries(dir)).map((e) => e.name))
  } catch (error) {
    // Unlistable (permissions): reported with the folder's path instead of skipped.
    return unlistableFolder(reportedUnder(choice, dir), dir, error) ?? undefined
  }
  return isTaskFolder(names) ? unitOf(choice, dir, names, lists) : undefined
}

async function* scanTasks(
  choice: TaskSourceChoice,
  tasksDir: string,
  lists: TaskLists,
): AsyncIterable<SourceUnit> {
  for (const entry of await sortedEntries(tasksDir)) {
    if (!entry.isDirectory()) continue // Dirent does not follow symlinks: a linked folder is not a directory here.
    const unit = await taskUnit(choice, join(tasksDir, entry.name), lists)
    if (unit) yield unit
  }
}

const existing = async (path: string | undefined): Promise<string | undefined> => {
  if (path === undefined) return undefined
  try {
    return (await stat(path)).isFile() ? path : undefined
  } catch {
    return undefined
  }
}

export async function* findTaskUnits(choice: TaskSourceChoice, root: string): AsyncIterable<SourceUnit> {
  const info = await statRoot(root)
  if (!info.isDirectory()) {
    if ([...MESSAGE_FILES, HISTORY_FILE].includes(basename(root))) {
      const unit = await taskUnit(choice, dirname(root))
      if (unit) yield unit
    }
    return
  }
  const entries = await sortedEntries(root)
  const names = new Set(entries.map((e) => e.name))
  if (isTaskFolder(names)) {
    yield await unitOf(choice, root, names)
    return
  }
  const hasTasks = entries.some((e) => e.name === 'tasks' && e.isDirectory())
  const tasksDir = hasTasks ? join(root, 'tasks') : root
  // Only the lists of the sources the tasks may have are looked for: a forced source needs its own alone.
  const wanted = (source: TaskSource) => choice === 'content' || choice === source
  const lists: TaskLists = {
    roo: await existing(wanted('roo') ? join(tasksDir, '_index.json') : undefined),
    cline: await existing(wanted('cline') && hasTasks ? join(root, 'state', 'taskHistory.json') : undefined),
  }
  yield* scanTasks(choice, tasksDir, lists)
}
