/**
 * The sources the app imports from and watches: every location found on this machine, plus the folders the
 * user added, minus the ones they removed or paused (sources.json). Changing the list restarts the watcher on the
 * new set; "Import now" runs as a job with progress and cancel, in turn with the watcher's own imports.
 */
import { existsSync, statSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import type { SourceFormat, SourceStatus } from '../../shared/api/contract'
import { fail, ok, type Result } from '../../shared/result'
import { imageStore } from '../images/image-store'
import type { Log } from '../logger'
import type { Repository } from '../repository/repository'
import { loadDeviceIdentity } from '../sync/device-identity'
import { ADAPTERS, detectFormats } from './adapters'
import { discoverLocations, type DiscoveredLocation } from './discovery'
import type { ImportTarget } from './import-engine'
import { importJobs, type ImportJobs } from './import-jobs'
import type { ImportSummary } from './import-summary'
import { watchSources, type ImportWatcher, type WatchOptions } from './import-watcher'
import { loadSourceChoices, saveSourceChoices, type SourceChoices } from './source-settings'

/** An import run that wrote something: the app records it in the audit trail (sync-runtime.ts). */
export interface ImportRun {
  readonly root: string
  readonly startedAt: number
  readonly finishedAt: number
  readonly summary: ImportSummary
}

export interface ImportSourcesOptions {
  readonly repository: Repository
  readonly dataDir: string
  readonly log: Log
  readonly record?: (run: ImportRun) => void
  /** False: import only when asked (`chronicle serve --no-watch`). */
  readonly watch?: boolean
  /** Tests name their own locations instead of this machine's. */
  readonly discover?: () => readonly DiscoveredLocation[]
  readonly watchOptions?: Pick<WatchOptions, 'debounceMs' | 'retryMs'>
}

export interface ImportSources {
  list(): readonly SourceStatus[]
  /** Set when sources.json was unreadable and was set aside. */
  readonly problem: string | null
  /** The paths watched right now. */
  watching(): readonly string[]
  add(path: string, format?: SourceFormat): Result<void>
  remove(path: string): Result<void>
  setEnabled(path: string, enabled: boolean): Result<void>
  readonly jobs: ImportJobs
  close(): Promise<void>
}

type LastImport = NonNullable<SourceStatus['lastImport']>

export function startImportSources(options: ImportSourcesOptions): ImportSources {
  const { repository, dataDir, log } = options
  const discover = options.discover ?? discoverLocations
  const loaded = loadSourceChoices(dataDir)
  if (loaded.problem) log(loaded.problem)
  let choices: SourceChoices = loaded.choices
  const lastImports = new Map<string, LastImport>()
  const images = imageStore(dataDir)
  const deviceId = loadDeviceIdentity(dataDir).id

  const noteRun = (target: ImportTarget, summary: ImportSummary, startedAt: number) => {
    const c = summary.conversations
    const m = summary.messages
    lastImports.set(target.path, {
      at: Date.now(),
      conversations: c.added + c.updated + c.unchanged,
      messages: m.added + m.updated + m.unchanged,
      problems: summary.problems.length,
    })
    // Runs that changed nothing stay out of the audit trail: re-reading unchanged sources is not an event.
    if (m.added + m.updated + m.removed + m.gone + c.added + c.updated + c.removed > 0)
      options.record?.({ root: target.path, startedAt, finishedAt: Date.now(), summary })
    if (m.added + m.updated + m.removed + m.gone > 0 || summary.problems.length > 0)
      log(
        `import ${target.path}: +${m.added} ~${m.updated} -${m.removed} messages, ${m.gone} no longer in their source (kept), ${summary.problems.length} problems`,
      )
    for (const p of summary.problems)
      log(`import skipped ${p.path}: ${p.reason}${p.retryable ? ' (will retry)' : ''}`)
  }

  const list = (): SourceStatus[] => {
    const found = discover()
      .filter((l) => !choices.removed.includes(l.path))
      .map((l) => ({ path: l.path, format: l.format as SourceFormat, origin: 'found' as const }))
    const added = choices.added
      .filter((a) => !found.some((f) => f.path === a.path && f.format === a.format))
      .map((a) => ({ ...a, origin: 'added' as const }))
    return [...found, ...added].map((source) => {
      const enabled = !choices.paused.includes(source.path)
      const available = existsSync(source.path)
      return {
        ...source,
        enabled,
        available,
        watching: enabled && available && options.watch !== false,
        lastImport: lastImports.get(source.path) ?? null,
      }
    })
  }
  const targetOf = (source: Pick<SourceStatus, 'path' | 'format'>): ImportTarget => ({
    path: source.path,
    adapter: ADAPTERS[source.format],
  })

  // The watcher is replaced whole when the list changes; the next starts once the last has finished its imports,
  // so two never write at once.
  const makeWatcher = () =>
    watchSources(
      repository,
      options.watch === false
        ? []
        : list()
            .filter((s) => s.enabled && s.available)
            .map(targetOf),
      {
        ...options.watchOptions,
        images,
        deviceId,
        onImport: noteRun,
        onError: (target, error) =>
          log(`import ${target.path} failed: ${error instanceof Error ? error.message : String(error)}`),
      },
    )
  let watcher: ImportWatcher = makeWatcher()
  let watched = list()
    .filter((s) => s.enabled && s.available && options.watch !== false)
    .map((s) => s.path)
  let switching: Promise<ImportWatcher> = Promise.resolve(watcher)
  const rewatch = () => {
    switching = switching.then(async (previous) => {
      await previous.close()
      watcher = makeWatcher()
      return watcher
    })
    watched = list()
      .filter((s) => s.enabled && s.available && options.watch !== false)
      .map((s) => s.path)
  }
  const change = (next: SourceChoices): Result<void> => {
    try {
      saveSourceChoices(dataDir, next)
    } catch (error) {
      return fail('SETTINGS_NOT_SAVED', `The sources could not be saved in ${dataDir}: ${String(error)}`)
    }
    choices = next
    rewatch()
    return ok(undefined)
  }
  const known = (path: string) => list().find((s) => s.path === path)
  const notKnown = (path: string) => fail('NOT_FOUND', `${path.slice(0, 300)} is not one of the sources.`)

  const jobs = importJobs({
    sources: () => list().filter((s) => s.enabled && s.available),
    source: (path) => known(path) ?? null,
    targetOf,
    run: async (target, importOptions) => {
      const startedAt = Date.now()
      const current = await switching
      const summary = await current.importNow(target, importOptions)
      noteRun(target, summary, startedAt)
      return summary
    },
  })

  return {
    list,
    problem: loaded.problem,
    watching: () => watched,
    jobs,
    add(rawPath, format) {
      if (!isAbsolute(rawPath))
        return fail(
          'INVALID_PATH',
          `${rawPath.slice(0, 300)} is not a full path; give the whole path, from the root.`,
        )
      const path = resolve(rawPath)
      try {
        statSync(path)
      } catch {
        return fail('INVALID_PATH', `${path.slice(0, 300)} does not exist or cannot be read.`)
      }
      const formats = format ? [format] : detectFormats(path)
      if (formats.length === 0)
        return fail(
          'NO_HISTORY_FOUND',
          `No Roo Code, Cline, Claude Code or ChatGPT history was recognised in ${path.slice(0, 300)}. Choose the folder that holds it (for example ~/.claude/projects or a Roo "tasks" folder), or name its format.`,
        )
      const present = list()
      const fresh = formats.filter((f) => !present.some((s) => s.path === path && s.format === f))
      if (fresh.length === 0) return fail('ALREADY_A_SOURCE', `${path.slice(0, 300)} is already a source.`)
      return change({
        added: [...choices.added, ...fresh.map((f) => ({ path, format: f }))],
        removed: choices.removed.filter((p) => p !== path),
        paused: choices.paused.filter((p) => p !== path),
      })
    },
    remove(path) {
      const source = known(path)
      if (!source) return notKnown(path)
      return change({
        added: choices.added.filter((a) => a.path !== path),
        removed: source.origin === 'found' ? [...new Set([...choices.removed, path])] : choices.removed,
        paused: choices.paused.filter((p) => p !== path),
      })
    },
    setEnabled(path, enabled) {
      if (!known(path)) return notKnown(path)
      const paused = choices.paused.filter((p) => p !== path)
      return change({ ...choices, paused: enabled ? paused : [...paused, path] })
    },
    async close() {
      jobs.cancelAll()
      const last = await switching
      await last.close()
    },
  }
}
