/**
 * What the parser (command-line.ts) and the help (help.ts) ask of command-specs.ts's table, kept beside it so that
 * file holds the table and nothing else.
 */
import type { CommandName } from './command-specs'
import { OPTION_SPECS, type OptionSpec } from './option-specs'

export const takes = (command: CommandName, option: OptionSpec): boolean =>
  option.takenBy === 'every command' || option.takenBy.includes(command)

export const optionsOf = (command: CommandName): OptionSpec[] => OPTION_SPECS.filter((o) => takes(command, o))

/** The first word of a command's name: what `main` loads (audit's subcommands are one module). */
export const topName = (command: CommandName): string => command.split(' ')[0] ?? command

/** How an option is written in help and messages: `--limit N`, `-h, --help`. */
export const optionLabel = (option: OptionSpec): string =>
  (option.short ? `-${option.short}, ` : '') +
  `--${option.name}` +
  (option.type === 'string' ? ` ${option.value}` : '')
