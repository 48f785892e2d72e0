/**
 * Every `chronicle` command and option, once. The parser (command-line.ts) gives each command only the options
 * listed for it here, and both help texts (help.ts) are printed from the same entries: an option cannot be accepted
 * without being documented, nor documented for a command that ignores it.
 */
import type { CliOptions } from './command-context'
import { SYNC_COMMAND_SPECS, SYNC_COMMANDS, type SyncCommandName } from './sync-command-specs'

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

/** The CliOptions fields whose values are of type T: an option fills one field of its own type. */
type FieldsOf<T> = {
  [K in keyof CliOptions]-?: NonNullable<CliOptions[K]> extends T ? K : never
}[keyof CliOptions]

interface OptionBase {
  /** The long name, without the dashes. */
  readonly name: string
  readonly short?: string
  readonly description: string
  readonly takenBy: readonly CommandName[] | 'every command'
}

export type OptionSpec = OptionBase &
  (
    | { readonly type: 'string'; readonly value: string; readonly field: FieldsOf<string> }
    | { readonly type: 'boolean'; readonly field: FieldsOf<boolean> | null }
  )

const AUDIT_EXPORT: readonly CommandName[] = ['audit export']
const AUDIT_VERIFY: readonly CommandName[] = ['audit verify']

/** In the order help lists them. */
export const OPTION_SPECS: readonly OptionSpec[] = [
  {
    name: 'data-dir',
    type: 'string',
    value: 'DIR',
    field: 'dataDir',
    takenBy: 'every command',
    description:
      "Where Chronicle keeps its data (default: $CHRONICLE_DATA_DIR, else the platform's user-data folder for " +
      'Chronicle)',
  },
  {
    name: 'source',
    type: 'string',
    value: 'S',
    field: 'source',
    takenBy: ['import', 'watch'],
    description: 'only this source (roo, cline, claude-code, chatgpt)',
  },
  // Two entries, one option: what --json prints differs between commands that end and commands that stream.
  {
    name: 'json',
    type: 'boolean',
    field: 'json',
    takenBy: [
      'stats',
      'usage',
      'search',
      'import',
      'audit export',
      'audit verify',
      'audit key',
      'prices',
      'prices use',
      'prices reset',
      ...SYNC_COMMANDS,
    ],
    description: 'print one JSON document on stdout and nothing else',
  },
  {
    name: 'json',
    type: 'boolean',
    field: 'json',
    takenBy: ['watch', 'simulate'],
    description: 'print one JSON line per event on stdout',
  },
  {
    name: 'limit',
    type: 'string',
    value: 'N',
    field: 'limit',
    takenBy: ['search'],
    description: 'results per page (1 to 200, default 20)',
  },
  {
    name: 'cursor',
    type: 'string',
    value: 'C',
    field: 'cursor',
    takenBy: ['search'],
    description: 'the next page, as printed by a previous --json search',
  },
  {
    name: 'port',
    type: 'string',
    value: 'N',
    field: 'port',
    takenBy: ['serve'],
    description: "port on 127.0.0.1 (default: the last launch's, else a free port)",
  },
  {
    name: 'open',
    type: 'boolean',
    field: 'open',
    takenBy: ['serve'],
    description: 'open the page in the default browser',
  },
  {
    name: 'no-watch',
    type: 'boolean',
    field: 'noWatch',
    takenBy: ['serve'],
    description: "don't import live from the default locations",
  },
  {
    name: 'devices',
    type: 'string',
    value: 'N',
    field: 'devices',
    takenBy: ['simulate'],
    description: 'how many devices (1 to 50, default 3)',
  },
  {
    name: 'rate',
    type: 'string',
    value: 'R',
    field: 'rate',
    takenBy: ['simulate'],
    description: 'actions per second per device (1 to 100, default 1)',
  },
  {
    name: 'format',
    type: 'string',
    value: 'F',
    field: 'format',
    takenBy: AUDIT_EXPORT,
    description: 'ndjson (default), csv or json',
  },
  {
    name: 'since',
    type: 'string',
    value: 'T',
    field: 'since',
    takenBy: [...AUDIT_EXPORT, 'usage'],
    description:
      'from this date (inclusive): audit export an ISO 8601 date or time, usage YYYY-MM-DD or YYYYMMDD',
  },
  {
    name: 'until',
    type: 'string',
    value: 'T',
    field: 'until',
    takenBy: [...AUDIT_EXPORT, 'usage'],
    description:
      'until this date (inclusive): audit export an ISO 8601 date or time, usage YYYY-MM-DD or YYYYMMDD',
  },
  {
    name: 'by',
    type: 'string',
    value: 'D',
    field: 'by',
    takenBy: ['usage'],
    description: 'a row per model, source, workspace or device (daily, weekly, monthly)',
  },
  {
    name: 'device',
    type: 'string',
    value: 'ID',
    field: 'device',
    takenBy: AUDIT_EXPORT,
    description: 'events made on this device',
  },
  {
    name: 'action',
    type: 'string',
    value: 'NAME',
    field: 'action',
    takenBy: AUDIT_EXPORT,
    description: 'events of this kind, e.g. ConversationRenamed',
  },
  {
    name: 'conversation',
    type: 'string',
    value: 'ID',
    field: 'conversation',
    takenBy: AUDIT_EXPORT,
    description: 'events about this conversation',
  },
  {
    name: 'out',
    type: 'string',
    value: 'FILE',
    field: 'out',
    takenBy: AUDIT_EXPORT,
    description: 'where to write (default: chronicle-audit-<time>.<format> here)',
  },
  {
    name: 'include-content',
    type: 'boolean',
    field: 'includeContent',
    takenBy: AUDIT_EXPORT,
    description: 'include message previews and texts',
  },
  {
    name: 'redact',
    type: 'boolean',
    field: 'redact',
    takenBy: AUDIT_EXPORT,
    description: 'mask what looks like API keys and tokens, and count them',
  },
  {
    name: 'digest',
    type: 'string',
    value: 'FILE',
    field: 'digest',
    takenBy: AUDIT_VERIFY,
    description: 'the digest (default: FILE.digest.json)',
  },
  {
    name: 'key',
    type: 'string',
    value: 'K',
    field: 'key',
    takenBy: AUDIT_VERIFY,
    description: 'also trust this signing key (a file holding what audit key prints, or the base64 key)',
  },
  {
    name: 'fingerprint',
    type: 'string',
    value: 'FP',
    field: 'fingerprint',
    takenBy: AUDIT_VERIFY,
    description: 'also trust the key with this fingerprint (SHA256:...)',
  },
  {
    name: 'db',
    type: 'boolean',
    field: 'db',
    takenBy: AUDIT_VERIFY,
    description: 'check the hash chain stored in the repository instead of an export',
  },
  {
    name: 'claim-secret',
    type: 'string',
    value: '-',
    field: 'claimSecret',
    takenBy: ['sync setup'],
    description:
      "read the worker's claim secret from stdin (a worker deployed with `wrangler secret put CLAIM_SECRET`)",
  },
  {
    name: 'help',
    short: 'h',
    type: 'boolean',
    field: null,
    takenBy: 'every command',
    description: 'Show this help',
  },
]
