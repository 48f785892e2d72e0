/**
 * Reads `chronicle`'s arguments against command-specs.ts: which command is meant (audit's subcommands included),
 * then that command's own options only, so an option another command takes is refused by name instead of being
 * silently ignored.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { resolveDataDir } from '../data-dir'
import type { CliOptions } from './command-context'
import { optionsOf, topName } from './command-spec-lookups'
import { COMMAND_SPECS, type CommandSpec } from './command-specs'
import { OPTION_SPECS, type OptionSpec } from './option-specs'
import { commandHelp, mainHelp } from './help'

export type CommandLine =
  | { readonly kind: 'help'; readonly text: string; readonly exitCode: 0 | 2 }
  | { readonly kind: 'usage'; readonly message: string }
  | {
      readonly kind: 'run'
      /** The module to load: the first word of the command's name. */
      readonly command: string
      /** The words after it (for audit, the subcommand first). */
      readonly args: readonly string[]
      readonly options: CliOptions
    }

type ParseOptions = NonNullable<ParseArgsConfig['options']>

const parseOptions = (specs: readonly OptionSpec[]): ParseOptions =>
  Object.fromEntries(
    specs.map((o) => [o.name, { type: o.type, ...(o.short !== undefined && { short: o.short }) }]),
  )

const BOOLEAN_DEFAULTS = {
  json: false,
  open: false,
  noWatch: false,
  includeContent: false,
  redact: false,
  db: false,
} satisfies Omit<CliOptions, 'dataDir'>

function cliOptions(values: Readonly<Record<string, unknown>>): CliOptions {
  const options: { -readonly [K in keyof CliOptions]?: CliOptions[K] } = {}
  for (const spec of OPTION_SPECS) {
    const value = values[spec.name]
    if (spec.type === 'string' && typeof value === 'string') options[spec.field] = value
    if (spec.type === 'boolean' && spec.field !== null) options[spec.field] = value === true
  }
  return { ...BOOLEAN_DEFAULTS, ...options, dataDir: resolveDataDir(options.dataDir) }
}

const family = (top: string) => COMMAND_SPECS.filter((c) => topName(c.name) === top)
const commandNames = () => [...new Set(COMMAND_SPECS.map((c) => topName(c.name)))]

/** What a person typed wrongly, for command `name`: one line that ends by pointing at that command's help. */
const usage = (name: string, problem: string): CommandLine => ({
  kind: 'usage',
  message: `chronicle${name ? ` ${name}` : ''}: ${problem} (see chronicle${name ? ` ${name}` : ''} --help)`,
})

/** The spec a command line names, or why none. */
function chosenSpec(words: readonly string[]): CommandSpec | CommandLine {
  const [top = '', sub] = words
  const specs = family(top)
  if (specs.length === 0)
    return usage('', `unknown command "${top}"; commands are ${commandNames().join(', ')}`)
  if (specs.length === 1 && specs[0]?.name === top) return specs[0]
  const spec = specs.find((c) => c.name === `${top} ${sub}`)
  if (spec) return spec
  // A family may have a command of its own name (`prices` beside `prices use`): the name alone runs it.
  const bare = specs.find((c) => c.name === top)
  if (bare && sub === undefined) return bare
  const subs = specs.filter((c) => c !== bare).map((c) => c.name.split(' ')[1])
  const choices = `${subs.slice(0, -1).join(', ')} or ${subs.at(-1)}`
  return usage(
    top,
    sub === undefined
      ? `${top} needs a subcommand: ${choices}`
      : `${top} has no subcommand "${sub}"; it has ${choices}`,
  )
}

/** The first option given that is not among `known`, as typed (`--redact`, `-x`). */
function unknownOption(argv: readonly string[], known: ParseOptions): string | null {
  const { tokens } = parseArgs({
    args: [...argv],
    options: known,
    strict: false,
    allowPositionals: true,
    tokens: true,
  })
  const unknown = tokens.find((t) => t.kind === 'option' && !(t.name in known))
  return unknown?.kind === 'option' ? unknown.rawName : null
}

/** A refusal that names the options the command does take. */
function refusal(spec: CommandSpec, option: string): CommandLine {
  const taken = optionsOf(spec.name)
    .filter((o) => o.name !== 'help')
    .map((o) => `--${o.name}`)
  return usage(spec.name, `unknown option ${option}; ${spec.name} takes ${taken.join(', ')}`)
}

export function readCommandLine(argv: readonly string[]): CommandLine {
  // Every option's type is known here, so an option's value is never taken for the command's name.
  const every = parseOptions(OPTION_SPECS)
  const scan = parseArgs({
    args: [...argv],
    options: every,
    strict: false,
    allowPositionals: true,
  })
  const wantsHelp = scan.values.help === true
  const words = scan.positionals
  if (words.length === 0) {
    const stray = unknownOption(argv, every)
    if (stray !== null) return usage('', `unknown option ${stray}`)
    return { kind: 'help', text: mainHelp(), exitCode: wantsHelp ? 0 : 2 }
  }
  if (words[0] === 'help' && words.length === 1) return { kind: 'help', text: mainHelp(), exitCode: 0 }
  const asked = words[0] === 'help' ? words.slice(1) : words
  const chosen = chosenSpec(asked)
  if ('kind' in chosen) {
    const specs = family(asked[0] ?? '')
    const familyHelp = (wantsHelp || words[0] === 'help') && specs.length > 0 && asked.length === 1
    return familyHelp ? { kind: 'help', text: commandHelp(specs), exitCode: 0 } : chosen
  }
  // Help for a family's own command (`prices --help`) shows the family: its subcommands are what to learn next.
  if (wantsHelp || words[0] === 'help')
    return {
      kind: 'help',
      text: commandHelp(asked.length === 1 ? family(chosen.name) : [chosen]),
      exitCode: 0,
    }

  const own = parseOptions(optionsOf(chosen.name))
  const refused = unknownOption(argv, own)
  if (refused !== null) return refusal(chosen, refused)
  let values
  try {
    values = parseArgs({ args: [...argv], options: own, strict: true, allowPositionals: true }).values
  } catch (error) {
    return usage(chosen.name, error instanceof Error ? error.message : String(error))
  }
  const nameWords = chosen.name.split(' ').length
  const operands = words.slice(nameWords)
  if (!chosen.takesArguments && operands.length > 0)
    return usage(chosen.name, `unexpected argument "${operands[0]}"; ${chosen.name} takes none`)
  return { kind: 'run', command: topName(chosen.name), args: words.slice(1), options: cliOptions(values) }
}
