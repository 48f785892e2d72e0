/**
 * The app's live import: watches every default location found on this machine, so what the assistants write
 * appears without the user running anything. The CLI's `watch` does the same for named paths.
 */
import type { Log } from '../logger'
import type { Repository } from '../repository/repository'
import type { ImportSummary } from './import-summary'
import { targetsForLocations } from './adapters'
import { discoverLocations } from './discovery'
import { watchSources, type ImportWatcher } from './import-watcher'

export interface LiveImport {
  readonly locations: readonly string[]
  close(): Promise<void>
}

/** An import run that wrote something: the app records it in the audit trail (sync-runtime.ts). */
export interface ImportRun {
  readonly root: string
  readonly startedAt: number
  readonly finishedAt: number
  readonly summary: ImportSummary
}

export function startLiveImport(
  repository: Repository,
  log: Log,
  record?: (run: ImportRun) => void,
): LiveImport {
  const targets = targetsForLocations(discoverLocations())
  const watcher: ImportWatcher = watchSources(repository, targets, {
    onImport: (target, summary, startedAt) => {
      const m = summary.messages
      const c = summary.conversations
      // Runs that changed nothing stay out of the audit trail: re-reading unchanged sources is not an event.
      if (m.added + m.updated + m.removed + c.added + c.updated + c.removed > 0)
        record?.({ root: target.path, startedAt, finishedAt: Date.now(), summary })
      if (m.added + m.updated + m.removed > 0 || summary.problems.length > 0) {
        log(
          `import ${target.path}: +${m.added} ~${m.updated} -${m.removed} messages, ${summary.problems.length} problems`,
        )
      }
      for (const p of summary.problems)
        log(`import skipped ${p.path}: ${p.reason}${p.retryable ? ' (will retry)' : ''}`)
    },
    onError: (target, error) =>
      log(`import ${target.path} failed: ${error instanceof Error ? error.message : String(error)}`),
  })
  return { locations: targets.map((t) => t.path), close: () => watcher.close() }
}
