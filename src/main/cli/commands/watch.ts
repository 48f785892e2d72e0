import type { ImportTarget } from '../../import/import-engine'
import { watchSources } from '../../import/import-watcher'
import type { ImportSummary } from '../../import/import-summary'
import { EXIT, type CommandContext } from '../command-context'
import { formatInt } from '../terminal'
import { chooseTargets, sourceLabel, sourceOption } from './import'
import { imageStore } from '../../images/image-store'

/** `chronicle watch [PATH...]`: imports once, then keeps importing what the assistants write until Ctrl-C. */
export async function watchCommand(context: CommandContext): Promise<number> {
  const { args, options, output } = context
  const targets = chooseTargets(args, sourceOption(options.source))
  if (targets.length === 0) {
    output.err('chronicle watch: no assistant history found in the default locations; name a folder to watch')
    return EXIT.failure
  }
  const repository = context.openRepository()
  const report = (target: ImportTarget, s: ImportSummary) => {
    const wrote =
      s.messages.added +
      s.messages.updated +
      s.messages.removed +
      s.messages.gone +
      s.conversations.added +
      s.conversations.updated
    if (wrote === 0 && s.problems.length === 0) return
    const line = {
      at: new Date().toISOString(),
      path: target.path,
      conversations: s.conversations,
      messages: s.messages,
      problems: s.problems,
    }
    output.out(
      options.json
        ? JSON.stringify(line)
        : `${line.at.slice(11, 19)} ${sourceLabel(target)}: +${formatInt(s.messages.added)} messages, ` +
            `${formatInt(s.messages.updated)} updated, ${formatInt(s.conversations.added)} new conversations` +
            s.problems
              .map((p) => `\n  skipped ${p.path}: ${p.reason}${p.retryable ? ' (will retry)' : ''}`)
              .join(''),
    )
  }
  const watcher = watchSources(repository, targets, {
    images: imageStore(options.dataDir),
    onImport: report,
    onError: (target, error) =>
      output.err(
        `chronicle watch: ${target.path}: ${error instanceof Error ? error.message : String(error)}`,
      ),
  })
  if (!options.json) {
    for (const t of targets) output.out(`Watching ${sourceLabel(t)}: ${t.path}`)
    output.out('Press Ctrl-C to stop.')
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  await watcher.close()
  await repository.close()
  return EXIT.ok
}
