/**
 * The app's live import: watches every default location found on this machine, so what the assistants write
 * appears without the user running anything. The CLI's `watch` does the same for named paths.
 */
import type { Log } from '../logger'
import type { Repository } from '../repository/repository'
import { targetsForLocations } from './adapters'
import { discoverLocations } from './discovery'
import { watchSources, type ImportWatcher } from './import-watcher'

export interface LiveImport {
  readonly locations: readonly string[]
  close(): Promise<void>
}

export function startLiveImport(repository: Repository, log: Log): LiveImport {
  const targets = targetsForLocations(discoverLocations())
  const watcher: ImportWatcher = watchSources(repository, targets, {
    onImport: (target, summary) => {
      const m = summary.messages
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
