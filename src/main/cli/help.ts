/**
 * `chronicle --help` and `chronicle <command> --help`, printed from command-specs.ts: a command's help lists the
 * options it takes and no others, and the overall help says which commands take each option.
 */
import { optionLabel, takes, topName } from './command-spec-lookups'
import { COMMAND_SPECS, type CommandName, type CommandSpec } from './command-specs'
import { OPTION_SPECS } from './option-specs'

const COLUMN = 29
const WIDTH = 110

const SEARCH_LANGUAGE = `Search language:
  words                      every word must match; accents and case are ignored
  "exact phrase"             the words in this order
  prefix*                    words starting with prefix
  -word                      leave out matches containing word
  workspace:NAME  model:NAME source:roo|cline|claude-code|chatgpt  role:user|assistant|system|tool
  after:2025-01-31 (inclusive)  before:2025-02-01 (exclusive)  is:starred  is:archived

Examples:
  chronicle search "connection pool" source:claude-code after:2025-01
  chronicle search 'migrat* -postgres' --json --limit 50`

function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else line = line === '' ? word : `${line} ${word}`
  }
  return [...lines, line]
}

/** A label in the left column and its text wrapped beside it; a label too wide for the column stands alone. */
function row(label: string, text: string): string {
  const [first = '', ...rest] = wrap(text, WIDTH - COLUMN)
  const indent = ' '.repeat(COLUMN)
  const head = `  ${label}`
  const lines = head.length < COLUMN ? [head.padEnd(COLUMN) + first] : [head, indent + first]
  return [...lines, ...rest.map((line) => indent + line)].join('\n')
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

/** Command names, with a command's every subcommand said as the command ("audit" for export, verify and key). */
function commandList(names: readonly CommandName[]): string {
  const said: string[] = []
  for (const name of names) {
    const top = topName(name)
    const family = COMMAND_SPECS.filter((c) => topName(c.name) === top)
    const whole = family.length > 1 && family.every((c) => names.includes(c.name))
    const label = whole ? top : name
    if (!said.includes(label)) said.push(label)
  }
  return said.join(', ')
}

/** The options the commands take; one that not all of them take says which do. */
function optionRows(commands: readonly CommandSpec[]): string[] {
  return OPTION_SPECS.flatMap((option) => {
    const takers = commands.filter((c) => takes(c.name, option)).map((c) => c.name)
    if (takers.length === 0) return []
    const text =
      takers.length === commands.length
        ? capitalised(option.description)
        : `${commandList(takers)}: ${option.description}`
    return [row(optionLabel(option), text)]
  })
}

const usageRows = (commands: readonly CommandSpec[]) =>
  commands.flatMap((c) => c.usage.map(([args, summary]) => row(args ? `${c.name} ${args}` : c.name, summary)))

export function mainHelp(): string {
  return [
    'Chronicle: one searchable, synced, auditable history of your AI coding assistant conversations.',
    '',
    'Usage: chronicle <command> [options]',
    "       chronicle <command> --help   (that command's options)",
    '',
    'Commands:',
    ...usageRows(COMMAND_SPECS),
    '',
    'Options:',
    ...optionRows(COMMAND_SPECS),
    '',
    SEARCH_LANGUAGE,
  ].join('\n')
}

/** Help for one command, or for a family of subcommands (`chronicle audit --help`). */
export function commandHelp(commands: readonly CommandSpec[]): string {
  const [first] = commands
  // A family with a command of its own name (`prices`) runs without a subcommand: it is optional there.
  const subs = commands.flatMap((c) => c.name.split(' ').slice(1)).join('|')
  const optional = commands.some((c) => !c.name.includes(' '))
  const usage =
    commands.length === 1 && first
      ? `chronicle ${first.name}${first.takesArguments ? ` ${first.usage[0]?.[0] ?? ''}` : ''} [options]`
      : `chronicle ${commandList(commands.map((c) => c.name))} ${optional ? `[${subs}]` : `<${subs}>`} [options]`
  return [
    `Usage: ${usage}`,
    '',
    ...usageRows(commands),
    '',
    'Options:',
    ...optionRows(commands),
    ...(commands.some((c) => c.name === 'search') ? ['', SEARCH_LANGUAGE] : []),
  ].join('\n')
}
