import { resolve } from 'node:path'
import { SOURCES, type Source } from '../../../shared/domain'
import { sourcesOf, targetsForLocations, targetsForPath } from '../../import/adapters'
import { discoverLocations } from '../../import/discovery'
import { importSources, type ImportProgress, type ImportTarget } from '../../import/import-engine'
import type { ImportSummary } from '../../import/import-summary'
import { EXIT, UsageError, withRepository, type CommandContext } from '../command-context'
import { commandProgress } from '../progress-line'
import { formatInt } from '../terminal'
import { imageStore } from '../../images/image-store'
import { loadDeviceIdentity } from '../../sync/device-identity'

export function chooseTargets(paths: readonly string[], source: Source | undefined): ImportTarget[] {
  if (paths.length === 0) {
    const located = discoverLocations().filter((l) => !source || l.source === source)
    return targetsForLocations(located)
  }
  // Adapters key units by absolute path (and check task names against it), so a relative PATH is resolved first.
  return paths
    .map((given) => resolve(given))
    .flatMap((path) => {
      const targets = targetsForPath(path, source)
      if (targets.length === 0) {
        throw new UsageError(
          `cannot tell what ${path} holds; name its source with --source ${SOURCES.slice(0, 4).join('|')}`,
        )
      }
      return targets
    })
}

/** How a target names its source: Roo/Cline task folders read task by task may be either. */
export const sourceLabel = (target: ImportTarget): string => sourcesOf(target.adapter).join('|')

/** Checks --source: one of the assistants Chronicle imports from. */
export function sourceOption(value: string | undefined): Source | undefined {
  if (value === undefined) return undefined
  const source = SOURCES.find((s) => s === value)
  if (!source || source === 'chronicle')
    throw new UsageError('--source must be one of roo, cline, claude-code, chatgpt')
  return source
}

export const importProgressText = (p: Pick<ImportProgress, 'unitsSeen' | 'messagesWritten'>): string =>
  `Importing: ${formatInt(p.unitsSeen)} sources, ${formatInt(p.messagesWritten)} messages read`

export async function importCommand(context: CommandContext): Promise<number> {
  const { args, options, output } = context
  const targets = chooseTargets(args, sourceOption(options.source))
  const progress = commandProgress(context)
  const summary = await withRepository(context, (repo) =>
    importSources(repo, targets, {
      images: imageStore(options.dataDir),
      deviceId: loadDeviceIdentity(options.dataDir).id,
      onProgress: (p) => progress.update(importProgressText(p)),
    }),
  )
  progress.done()
  if (options.json) {
    output.out(
      JSON.stringify({
        locations: targets.map((t) => ({ path: t.path, source: sourceLabel(t) })),
        ...summary,
      }),
    )
  } else {
    printSummary(targets, summary, output.out)
  }
  return summary.problems.some((p) => !p.retryable) ? EXIT.failure : EXIT.ok
}

function printSummary(targets: readonly ImportTarget[], s: ImportSummary, out: (line: string) => void): void {
  if (targets.length === 0) {
    out(
      'No assistant history found in the default locations; name a folder: chronicle import PATH [--source S]',
    )
    return
  }
  for (const t of targets) out(`Read ${sourceLabel(t)}: ${t.path}`)
  const line = (name: string, c: ImportSummary['messages']) =>
    `${name}: ${formatInt(c.added)} added, ${formatInt(c.updated)} updated, ${formatInt(c.unchanged)} unchanged` +
    (c.removed > 0 ? `, ${formatInt(c.removed)} removed` : '') +
    (c.gone > 0 ? `, ${formatInt(c.gone)} no longer in their source (kept)` : '')
  out(line('Conversations', s.conversations))
  out(line('Messages', s.messages))
  out(
    `Sources: ${formatInt(s.unitsRead)} read, ${formatInt(s.unitsUnchanged)} unchanged since the last import`,
  )
  if (s.problems.length > 0) {
    out(`Skipped ${s.problems.length} (the rest was imported):`)
    for (const p of s.problems) out(`  ${p.path}: ${p.reason}${p.retryable ? ' (will retry)' : ''}`)
  }
}
