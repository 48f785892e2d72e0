/**
 * The `chronicle` command. Every failure a person can fix (bad arguments, an unusable data directory or database,
 * a malformed search) ends as one line on stderr and a non-zero exit code; --json output is one document on stdout.
 */
import { parseArgs } from 'node:util'
import { resolveDataDir } from '../data-dir'
import { EXIT, UsageError, type CliOptions, type CommandContext } from './command-context'
import { RepositoryError } from '../repository/errors'
import { openRepository } from '../repository/repository'
import { HELP } from './help'
import { processOutput, type Output } from './terminal'

type Command = (context: CommandContext) => Promise<number>

// Loaded on demand: serve and simulate pull in LiveStore and Effect, which `stats` or `search` should not wait for.
const COMMANDS: Record<string, () => Promise<Command>> = {
  stats: async () => (await import('./commands/stats')).statsCommand,
  search: async () => (await import('./commands/search')).searchCommand,
  import: async () => (await import('./commands/import')).importCommand,
  watch: async () => (await import('./commands/watch')).watchCommand,
  serve: async () => (await import('./commands/serve')).serveCommand,
  simulate: async () => (await import('./commands/simulate')).simulateCommand,
  audit: async () => (await import('./commands/audit')).auditCommand,
}

export async function main(argv: readonly string[], output: Output = processOutput()): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        'data-dir': { type: 'string' },
        json: { type: 'boolean', default: false },
        limit: { type: 'string' },
        cursor: { type: 'string' },
        port: { type: 'string' },
        devices: { type: 'string' },
        rate: { type: 'string' },
        source: { type: 'string' },
        open: { type: 'boolean', default: false },
        'no-watch': { type: 'boolean', default: false },
        format: { type: 'string' },
        since: { type: 'string' },
        until: { type: 'string' },
        device: { type: 'string' },
        action: { type: 'string' },
        conversation: { type: 'string' },
        out: { type: 'string' },
        digest: { type: 'string' },
        key: { type: 'string' },
        fingerprint: { type: 'string' },
        'include-content': { type: 'boolean', default: false },
        redact: { type: 'boolean', default: false },
        db: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    })
  } catch (error) {
    output.err(`chronicle: ${error instanceof Error ? error.message : String(error)} (see chronicle --help)`)
    return EXIT.usage
  }
  const [name, ...args] = parsed.positionals
  if (parsed.values.help || name === undefined || name === 'help') {
    output.out(HELP.trimEnd())
    return name === undefined && !parsed.values.help ? EXIT.usage : EXIT.ok
  }
  const loadCommand = COMMANDS[name]
  if (!loadCommand) {
    output.err(
      `chronicle: unknown command "${name}"; commands are ${Object.keys(COMMANDS).join(', ')} (see chronicle --help)`,
    )
    return EXIT.usage
  }
  const v = parsed.values
  const options: CliOptions = {
    dataDir: resolveDataDir(v['data-dir']),
    json: v.json ?? false,
    open: v.open ?? false,
    noWatch: v['no-watch'] ?? false,
    includeContent: v['include-content'] ?? false,
    redact: v.redact ?? false,
    db: v.db ?? false,
    ...(v.limit !== undefined && { limit: v.limit }),
    ...(v.cursor !== undefined && { cursor: v.cursor }),
    ...(v.port !== undefined && { port: v.port }),
    ...(v.devices !== undefined && { devices: v.devices }),
    ...(v.rate !== undefined && { rate: v.rate }),
    ...(v.source !== undefined && { source: v.source }),
    ...(v.format !== undefined && { format: v.format }),
    ...(v.since !== undefined && { since: v.since }),
    ...(v.until !== undefined && { until: v.until }),
    ...(v.device !== undefined && { device: v.device }),
    ...(v.action !== undefined && { action: v.action }),
    ...(v.conversation !== undefined && { conversation: v.conversation }),
    ...(v.out !== undefined && { out: v.out }),
    ...(v.digest !== undefined && { digest: v.digest }),
    ...(v.key !== undefined && { key: v.key }),
    ...(v.fingerprint !== undefined && { fingerprint: v.fingerprint }),
  }
  try {
    const command = await loadCommand()
    return await command({
      args,
      options,
      output,
      openRepository: () => openRepository({ dataDir: options.dataDir }),
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
