/**
 * Whether a task folder is Roo Code's or Cline's, from what it holds. Roo Code is a fork of Cline and both write
 * the same two message files, so no single name or file tells them apart; a path substring ("roo" in `/root` or
 * "classroom", "cline" in Roo's own `rooveterinaryinc.roo-cline`) tells nothing at all. The evidence, asked in
 * this order, the first that tells deciding:
 *
 * 1. A path segment that is an extension's storage folder id (the one nearest the task): certain.
 * 2. Files only one of them writes in the task folder: `history_item.json` (Roo); `context_history.json`,
 *    `settings.json` (Cline).
 * 3. The folder's name when it is a UUID: Roo's (Cline names a task after Date.now()).
 * 4. The first UI row `say:"task"`: Cline's (Roo's first row is `say:"text"`).
 * 5. API history items carrying `modelInfo` or `metrics`: Cline's.
 * 6. The task lists beside the `tasks/` folder: `tasks/_index.json` (Roo), `state/taskHistory.json` (Cline). They
 *    speak for the whole folder, so they come after what the task itself holds: a folder may hold tasks copied
 *    from the other extension.
 * 7. What is usual but not certain, since early Roo and early Cline wrote like each other: a first UI row
 *    `say:"text"` (Roo; also Claude Dev and Cline before `say:"task"`) and a 13-digit name (Cline; also Roo before
 *    UUIDs). Either alone tells; together they contradict.
 *
 * Evidence that contradicts itself within a step tells nothing, and the next step is asked. Steps 1 to 3 and 6 use
 * names only; 4, 5 and 7 read the first bytes of the UI log and the API history, never a whole file.
 */
import { basename } from 'node:path'
import { readHeadElements, type HeadElement } from '../../json-array-head'

export type TaskSource = 'roo' | 'cline'

export const STORAGE_FOLDERS: Readonly<Record<string, TaskSource>> = {
  'rooveterinaryinc.roo-cline': 'roo',
  'saoudrizwan.claude-dev': 'cline',
}

/** What a task folder's neighbourhood holds: the task lists found beside its `tasks/` folder. */
export interface StorageFacts {
  /** `tasks/_index.json` exists (Roo's cache of HistoryItems). */
  readonly rooIndex: boolean
  /** `state/taskHistory.json` exists beside `tasks/` (Cline's task list). */
  readonly clineHistory: boolean
}

/**
 * Both extensions write a UI row's `say` before its text and images, so the first row's is in its first bytes. The
 * API history's first assistant item comes after the task and its environment details: that file gets HEAD_BYTES.
 */
const UI_HEAD_BYTES = 16 * 1024

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const DATE_NOW = /^\d{13}$/

/** One answer from evidence for each source: the one with evidence, or nothing when both or neither have it. */
const oneOf = (roo: boolean, cline: boolean): TaskSource | undefined =>
  roo === cline ? undefined : roo ? 'roo' : 'cline'

/** Step 1: the storage folder id nearest the end of `path`, compared whole and case-insensitively. */
export function storageFolderSource(path: string): TaskSource | undefined {
  const segments = path.split(/[\\/]/)
  for (let i = segments.length - 1; i >= 0; i--) {
    const source = STORAGE_FOLDERS[(segments[i] as string).toLowerCase()]
    if (source) return source
  }
  return undefined
}

/** Steps 1 to 3: what the names of the task folder at `dir` and of its files tell. */
export function sourceFromNames(dir: string, names: ReadonlySet<string>): TaskSource | undefined {
  return (
    storageFolderSource(dir) ??
    oneOf(names.has('history_item.json'), names.has('context_history.json') || names.has('settings.json')) ??
    (UUID.test(basename(dir)) ? 'roo' : undefined)
  )
}

/** Step 6: the task lists beside the `tasks/` folder. */
export const sourceFromStorage = (storage: StorageFacts): TaskSource | undefined =>
  oneOf(storage.rooIndex, storage.clineHistory)

const firstSay = (ui: readonly HeadElement[]): string | undefined => ui[0]?.strings.get('say')

export interface TaskFiles {
  readonly dir: string
  readonly names: ReadonlySet<string>
  readonly storage: StorageFacts
  /** Absolute paths of the task's UI log and API history, when it has them. */
  readonly ui?: string
  readonly api?: string
}

/** The task's source, or undefined when nothing it holds tells (the import then asks for `--source`). */
export async function taskSourceOf(task: TaskFiles): Promise<TaskSource | undefined> {
  const byNames = sourceFromNames(task.dir, task.names)
  if (byNames) return byNames
  const ui = task.ui ? await readHeadElements(task.ui, UI_HEAD_BYTES) : []
  if (firstSay(ui) === 'task') return 'cline'
  const api = task.api ? await readHeadElements(task.api) : []
  if (api.some((item) => item.keys.has('modelInfo') || item.keys.has('metrics'))) return 'cline'
  return sourceFromStorage(task.storage) ?? oneOf(firstSay(ui) === 'text', DATE_NOW.test(basename(task.dir)))
}

/** Why a task was not imported when nothing tells its source, naming the choices. */
export const UNDECIDED_SOURCE =
  'holds nothing that tells whether it is a Roo Code or a Cline task (no storage folder name, no file or first ' +
  'message only one of them writes); import it with --source roo or --source cline'
