/**
 * The `chronicle` command. Every failure a person can fix (bad arguments, an unusable data directory or database,
 * a malformed search) ends as one line on stderr and a non-zero exit code; --json output is one document on stdout.
 */
import { EXIT, UsageError, type CommandContext } from './command-context'
import { readCommandLine } from './command-line'
import { RepositoryError } from '../repository/errors'
import { openRepository } from '../repository/repository'
import { processOutput, type Output } from './terminal'

type Command = (context: CommandContext) => Promise<number>

// Loaded on demand: serve and simulate pull in LiveStore and Effect, which `stats` or `search` should not wait for.
const COMMANDS: Record<string, () => Promise<Command>> = {
  stats: async () => (await import('./commands/stats')).statsCommand,
  usage: async () => (await import('./commands/usage')).usageCommand,
  search: async () => (await import('./commands/search')).searchCommand,
  import: async () => (await import('./commands/import')).importCommand,
  watch: async () => (await import('./commands/watch')).watchCommand,
  serve: async () => (await import('./commands/serve')).serveCommand,
  simulate: async () => (await import('./commands/simulate')).simulateCommand,
  audit: async () => (await import('./commands/audit')).auditCommand,
  prices: async () => (await import('./commands/prices')).pricesCommand,
  sync: async () => (await import('./commands/sync')).syncCommand,
}

export async function main(argv: readonly string[], output: Output = processOutput()): Promise<number> {
  const line = readCommandLine(argv)
  if (line.kind === 'help') {
    output.out(line.text)
    return line.exitCode
  }
  if (line.kind === 'usage') {
    output.err(line.message)
    return EXIT.usage
  }
  const { command: name, args, options } = line
  const loadCommand = COMMANDS[name]
  if (!loadCommand) throw new Error(`command-specs.ts names a command main.ts cannot load: ${name}`)
  try {
    const command = await loadCommand()
    return await command({
      args,
      options,
      output,
      openRepository: (extra) =>
        openRepository({ onLongUpgrade: output.err, ...extra, dataDir: options.dataDir }),
    })
  } catch (error) {
    if (error instanceof UsageError) {
      output.err(`chronicle ${name}: ${error.message}`)
      return EXIT.usage
    }
    if (error instanceof RepositoryError) {
      output.err(`chronicle: ${error.message}`)
      return EXIT.failure
    }
    throw error
  }
}
