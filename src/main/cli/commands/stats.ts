import type { StatsGroup } from '../../../shared/domain'
import { EXIT, withRepository, type CommandContext } from '../command-context'
import { formatCost, formatInt, table } from '../terminal'

export async function statsCommand(context: CommandContext): Promise<number> {
  const stats = await withRepository(context, (repo) => repo.stats())
  const { out } = context.output
  if (context.options.json) {
    out(JSON.stringify({ dataDir: context.options.dataDir, ...stats }))
    return EXIT.ok
  }
  const t = stats.totals
  out(`Chronicle data: ${context.options.dataDir}`)
  out(
    `${formatInt(t.conversations)} conversations, ${formatInt(t.messages)} messages, ` +
      `${formatInt(t.tokensIn)} tokens in, ${formatInt(t.tokensOut)} tokens out, ${formatCost(t.cost)}`,
  )
  if (t.conversations === 0) {
    out('Nothing imported yet.')
    return EXIT.ok
  }
  const section = (title: string, groups: readonly StatsGroup[]) => {
    out('')
    out(
      table(
        [title, 'conversations', 'messages', 'tokens in', 'tokens out', 'cost'],
        groups.map((g) => [
          g.key,
          formatInt(g.conversations),
          formatInt(g.messages),
          formatInt(g.tokensIn),
          formatInt(g.tokensOut),
          formatCost(g.cost),
        ]),
      ),
    )
  }
  section('source', stats.bySource)
  section('workspace', stats.byWorkspace)
  section('model', stats.byModel)
  return EXIT.ok
}
