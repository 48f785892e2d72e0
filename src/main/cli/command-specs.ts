/**
 * Every `chronicle` command, once; its options, and which commands take them, are in option-specs.ts. The parser
 * (command-line.ts) gives each command only the options listed for it, and both help texts (help.ts) are printed
 * from the same entries: an option cannot be accepted without being documented, nor documented for a command that
 * ignores it.
 */
import { SYNC_COMMAND_SPECS, type SyncCommandName } from './sync-command-specs'

export type CommandName =
  | 'stats'
  | 'usage'
  | 'search'
  | 'import'
  | 'watch'
  | 'serve'
  | 'simulate'
  | 'audit export'
  | 'audit verify'
  | 'audit key'
  | 'prices'
  | 'prices use'
  | 'prices reset'
  | SyncCommandName

export interface CommandSpec {
  readonly name: CommandName
  /** Operands follow the name (a query, paths, a file); a command without them refuses stray words. */
  readonly takesArguments: boolean
  /** Help lines: what follows the name, and what that does. */
  readonly usage: readonly (readonly [args: string, summary: string])[]
}

export const COMMAND_SPECS: readonly CommandSpec[] = [
  {
    name: 'stats',
    takesArguments: false,
    usage: [['', 'Conversations, messages, tokens and cost, per source, workspace and model']],
  },
  {
    name: 'usage',
    takesArguments: true,
    usage: [
      [
        '[daily|weekly|monthly|session|blocks]',
        'Tokens (input, output, cache writes and reads) and cost per local day (the default), ISO week or month, ' +
          "per conversation (session), or per 5-hour window of Claude Code's billing (blocks), shaped like ccusage's " +
          'reports. Days are cut at the current UTC offset, to the hour: up to 45 minutes off where the offset is ' +
          'not whole hours. A model with no price is shown as unpriced, never as $0.',
      ],
    ],
  },
  {
    name: 'search',
    takesArguments: true,
    usage: [['"<query>"', 'Full-text search over every message and title']],
  },
  {
    name: 'import',
    takesArguments: true,
    usage: [
      [
        '[PATH...]',
        'Import assistant history: the default locations of Roo Code, Cline, Claude Code and the Cline SDK, or ' +
          'the files and folders named (ChatGPT: conversations.json or the export .zip). Unchanged sources are ' +
          'not read again.',
      ],
    ],
  },
  {
    name: 'watch',
    takesArguments: true,
    usage: [['[PATH...]', 'Import, then keep importing what the assistants write, until Ctrl-C']],
  },
  {
    name: 'serve',
    takesArguments: false,
    usage: [
      [
        '',
        'Run Chronicle in the web host: prints a local URL with a per-launch token, and imports live from the ' +
          "default locations (--no-watch: don't)",
      ],
    ],
  },
  {
    name: 'simulate',
    takesArguments: false,
    usage: [
      [
        '',
        'Start simulated devices that sync with the running app or serve on the same data directory: they add ' +
          'messages, rename conversations, go offline and return',
      ],
    ],
  },
  {
    name: 'audit export',
    takesArguments: false,
    usage: [
      [
        '',
        'Export the audit trail (every change, from every device) with a signed digest beside it ' +
          '(FILE.digest.json); message bodies are left out unless asked for',
      ],
    ],
  },
  {
    name: 'audit verify',
    takesArguments: true,
    usage: [
      [
        'FILE',
        'Check an export against its digest: names the first record that was edited, dropped, inserted or ' +
          'reordered, whether the signature holds, and which device signed; only a key a device of this library ' +
          'registered, or one named with --key or --fingerprint, is trusted',
      ],
      ['--db', 'Check the hash chain stored in the repository'],
    ],
  },
  {
    name: 'audit key',
    takesArguments: false,
    usage: [
      [
        '',
        "Print this device's signing key's fingerprint and the key (what --key and --fingerprint take on " +
          'another machine)',
      ],
    ],
  },
  {
    name: 'prices',
    takesArguments: false,
    usage: [['', 'The price table costs are computed with: bundled or chosen, its source, date and models']],
  },
  {
    name: 'prices use',
    takesArguments: true,
    usage: [
      [
        'FILE',
        "Compute costs with this price file from now on (LiteLLM's model_prices_and_context_window.json, as " +
          'the bundled table is): checked, kept in the data directory, every stored cost recomputed, and the ' +
          'change recorded in the audit trail',
      ],
    ],
  },
  {
    name: 'prices reset',
    takesArguments: false,
    usage: [['', 'Back to the bundled price table; every stored cost is recomputed']],
  },
  ...SYNC_COMMAND_SPECS,
]
