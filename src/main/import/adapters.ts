/**
 * Which adapter reads which place: by --source, by a discovered location, or by what a given path holds. Roo Code
 * and Cline task folders look alike; a place the user names is read by taskFolderAdapter, which files each task
 * under the source its own content tells (sources/roo-cline/task-source.ts), never by a substring of the path.
 */
import { readdirSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { Source } from '../../shared/domain'
import type { DiscoveredLocation } from './discovery'
import type { ImportTarget } from './import-engine'
import type { SourceAdapter } from './source-adapter'
import { chatGptAdapter } from './sources/chatgpt'
import { claudeCodeAdapter } from './sources/claude-code'
import { clineSdkAdapter } from './sources/cline-sdk'
import { clineAdapter, rooCodeAdapter } from './sources/roo-cline'
import { API_FILE, findTaskUnits, LEGACY_UI_FILE, UI_FILE } from './sources/roo-cline/task-folders'
import {
  sourceFromNames,
  sourceFromStorage,
  storageFolderSource,
  type TaskSource,
} from './sources/roo-cline/task-source'

export type SourceFormat = DiscoveredLocation['format'] | 'chatgpt' | 'roo-or-cline'

/**
 * Roo Code or Cline task folders, each unit filed under its own task's source. Its `source` names it in messages
 * only (see sourcesOf); a task nothing tells is a listed problem, never read.
 */
export const taskFolderAdapter: SourceAdapter = {
  source: 'roo',
  findUnits: (root) => findTaskUnits('content', root),
  readUnit: (unit) => (unit.source === 'cline' ? clineAdapter : rooCodeAdapter).readUnit(unit),
}

/** Each format's adapter; 'roo' and 'cline' file every task of the place under that source. */
export const ADAPTERS: Record<SourceFormat, SourceAdapter> = {
  roo: rooCodeAdapter,
  cline: clineAdapter,
  'roo-or-cline': taskFolderAdapter,
  'cline-sdk': clineSdkAdapter,
  'claude-code': claudeCodeAdapter,
  chatgpt: chatGptAdapter,
}

/** The sources an adapter's units may be filed under, for what the CLI prints. */
export const sourcesOf = (adapter: SourceAdapter): readonly Source[] =>
  adapter === taskFolderAdapter ? ['roo', 'cline'] : [adapter.source]

const FORMATS_OF_SOURCE: Record<Source, readonly SourceFormat[]> = {
  roo: ['roo'],
  cline: ['cline', 'cline-sdk'],
  'claude-code': ['claude-code'],
  chatgpt: ['chatgpt'],
  chronicle: [],
}

export const targetsForLocations = (locations: readonly DiscoveredLocation[]): ImportTarget[] =>
  locations.map((l) => ({ path: l.path, adapter: ADAPTERS[l.format] }))

/** What a path holds, from names only; 'tasks' is Roo Code or Cline task folders, either or both. */
type Kind = Exclude<SourceFormat, TaskSource | 'roo-or-cline'> | 'tasks'

const MESSAGE_FILES = [API_FILE, UI_FILE, LEGACY_UI_FILE]
const isTaskFolder = (names: ReadonlySet<string>) => MESSAGE_FILES.some((n) => names.has(n))

function kindsAt(path: string): Kind[] {
  const kinds = new Set<Kind>()
  const consider = (name: string) => {
    if (name.endsWith('.jsonl') || name === 'projects') kinds.add('claude-code')
    else if (name.endsWith('.messages.json') || name === 'sessions') kinds.add('cline-sdk')
    else if (name === 'conversations.json' || name.endsWith('.zip')) kinds.add('chatgpt')
    else if (name === 'tasks' || MESSAGE_FILES.includes(name)) kinds.add('tasks')
  }
  try {
    if (!statSync(path).isDirectory()) {
      consider(basename(path))
      return [...kinds]
    }
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      consider(entry.name)
      // A Claude Code projects folder holds one folder per project, each full of .jsonl sessions.
      if (entry.isDirectory() && kinds.size === 0) {
        try {
          for (const inner of readdirSync(join(path, entry.name))) consider(inner)
        } catch {
          // An unreadable subfolder says nothing about the format; the import reports it when it gets there.
        }
      }
    }
  } catch {
    return []
  }
  return [...kinds]
}

/** Task folders examined for detectFormats' one answer: enough to see a mix, few enough to answer at once. */
const SAMPLED_TASKS = 200

const listing = (dir: string): Set<string> | undefined => {
  try {
    return new Set(readdirSync(dir))
  } catch {
    return undefined
  }
}

/**
 * One source for every task folder at `path`, from names alone (no file is read): the storage folder id, else
 * what the task folders' names and the task lists beside them agree on. Undefined when they do not agree or do
 * not tell: the folder holds both, or its content must be read task by task.
 */
function folderSource(path: string): TaskSource | undefined {
  const certain = storageFolderSource(path)
  if (certain) return certain
  const root = listing(path) ? path : dirname(path)
  const names = listing(root) ?? new Set<string>()
  if (isTaskFolder(names)) return sourceFromNames(root, names)
  const tasksDir = names.has('tasks') ? join(root, 'tasks') : root
  const storage = sourceFromStorage({
    rooIndex: listing(tasksDir)?.has('_index.json') ?? false,
    clineHistory: names.has('tasks') && (listing(join(root, 'state'))?.has('taskHistory.json') ?? false),
  })
  const found = new Set<TaskSource | undefined>()
  for (const task of [...(listing(tasksDir) ?? [])].slice(0, SAMPLED_TASKS)) {
    const taskNames = listing(join(tasksDir, task))
    if (taskNames && isTaskFolder(taskNames))
      found.add(sourceFromNames(join(tasksDir, task), taskNames) ?? storage)
  }
  const [only] = found
  return found.size === 1 ? only : undefined
}

/**
 * The formats a path holds, one per format (what the app keeps for a folder the user adds): Roo Code or Cline task
 * folders are one of them when the names settle it for every task (see folderSource), otherwise 'roo-or-cline',
 * read task by task from their content.
 */
export function detectFormats(path: string, source?: Source): SourceFormat[] {
  if (source) return [...FORMATS_OF_SOURCE[source]]
  return kindsAt(path).map((kind) => (kind === 'tasks' ? (folderSource(path) ?? 'roo-or-cline') : kind))
}

/**
 * What `chronicle import PATH` reads PATH with: the adapters of the formats it holds, or of --source. Task folders
 * whose storage folder id is in the path are that extension's; others go to taskFolderAdapter, task by task.
 */
export function targetsForPath(path: string, source?: Source): ImportTarget[] {
  if (source) return FORMATS_OF_SOURCE[source].map((format) => ({ path, adapter: ADAPTERS[format] }))
  return kindsAt(path).map((kind) => {
    if (kind !== 'tasks') return { path, adapter: ADAPTERS[kind] }
    const certain = storageFolderSource(path)
    return { path, adapter: certain ? ADAPTERS[certain] : taskFolderAdapter }
  })
}
