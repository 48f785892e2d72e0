import type { ImportTarget } from '../../import/import-engine'
import { watchSources, type ImportWatcher } from '../../import/import-watcher'
import type { ImportSummary } from '../../import/import-summary'
import { EXIT, type CommandContext } from '../command-context'
import { commandProgress } from '../progress-line'
import { formatInt } from '../terminal'
import { chooseTargets, importProgressText, sourceLabel, sourceOption } from './import'
import { imageStore } from '../../images/image-store'
import { loadDeviceIdentity } from '../../sync/device-identity'

interface Reporter {
  readonly imported: (target: ImportTarget, summary: ImportSummary) => void
  readonly failed: (target: ImportTarget, error: unknown) => void
}

/**
 * The first import of every target, under one progress line counted across targets. The runs are queued on the
 * watcher before its own first runs, which then find nothing new to read.
 */
async function firstImport(
  context: CommandContext,
  watcher: ImportWatcher,
  targets: readonly ImportTarget[],
  reporter: Reporter,
  signal: AbortSignal,
): Promise<void> {
  const progress = commandProgress(context)
  let before = { unitsSeen: 0, messagesWritten: 0 }
  let seen = before
  const runs = targets.map((target) => ({
    target,
    summary: watcher.importNow(target, {
      signal,
      onProgress: (p) => {
        seen = {
          unitsSeen: before.unitsSeen + p.unitsSeen,
          messagesWritten: before.messagesWritten + p.messagesWritten,
        }
        progress.update(importProgressText(seen))
      },
    }),
  }))
  for (const { target, summary } of runs) {
    await summary.then(
      (s) => reporter.imported(target, s),
      (error: unknown) => reporter.failed(target, error),
    )
    before = seen
  }
  progress.done()
}

/** `chronicle watch [PATH...]`: imports once, then keeps importing what the assistants write until Ctrl-C. */
export async function watchCommand(context: CommandContext): Promise<number> {
  const { args, options, output } = context
  const targets = chooseTargets(args, sourceOption(options.source))
  if (targets.length === 0) {
    output.err('chronicle watch: no assistant history found in the default locations; name a folder to watch')
    return EXIT.failure
  }
  const repository = context.openRepository()
  // A source that stays unreadable is reported once, not again on every run that meets it.
  const reportedProblems = new Map<ImportTarget, Set<string>>()
  const imported = (target: ImportTarget, s: ImportSummary) => {
    const before = reportedProblems.get(target)
    const problems = s.problems.filter((p) => !before?.has(`${p.path}\n${p.reason}`))
    reportedProblems.set(target, new Set(s.problems.map((p) => `${p.path}\n${p.reason}`)))
    const wrote =
      s.messages.added +
      s.messages.updated +
      s.messages.removed +
      s.messages.gone +
      s.conversations.added +
      s.conversations.updated
    if (wrote === 0 && problems.length === 0) return
    const line = {
      at: new Date().toISOString(),
      path: target.path,
      conversations: s.conversations,
      messages: s.messages,
      problems,
    }
    output.out(
      options.json
        ? JSON.stringify(line)
        : `${line.at.slice(11, 19)} ${sourceLabel(target)}: +${formatInt(s.messages.added)} messages, ` +
            `${formatInt(s.messages.updated)} updated, ${formatInt(s.conversations.added)} new conversations` +
            problems
              .map((p) => `\n  skipped ${p.path}: ${p.reason}${p.retryable ? ' (will retry)' : ''}`)
              .join(''),
    )
  }
  const failed = (target: ImportTarget, error: unknown) =>
    output.err(`chronicle watch: ${target.path}: ${error instanceof Error ? error.message : String(error)}`)
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  const watcher = watchSources(repository, targets, {
    images: imageStore(options.dataDir),
    deviceId: loadDeviceIdentity(options.dataDir).id,
    onImport: imported,
    onError: failed,
  })
  if (!options.json) {
    for (const t of targets) output.out(`Watching ${sourceLabel(t)}: ${t.path}`)
    output.out('Press Ctrl-C to stop.')
  }
  // Ctrl-C during the first import stops it after the source being read, which is kept.
  const stop = new AbortController()
  const first = firstImport(context, watcher, targets, { imported, failed }, stop.signal)
  await stopped
  stop.abort()
  await first
  await watcher.close()
  await repository.close()
  return EXIT.ok
}
