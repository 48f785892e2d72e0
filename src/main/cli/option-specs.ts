/**
 * Every `chronicle` option, once, with the commands that take it (command-specs.ts lists the commands). The parser
 * (command-line.ts) gives each command only its options, and help.ts prints them from these same entries.
 */
import type { CliOptions } from './command-context'
import type { CommandName } from './command-specs'
import { SYNC_COMMANDS } from './sync-command-specs'

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
