export const HELP = `Chronicle: one searchable, synced, auditable history of your AI coding assistant conversations.

Usage: chronicle <command> [options]

Commands:
  stats                      Conversations, messages, tokens and cost, per source, workspace and model
  search "<query>"           Full-text search over every message and title
  import [PATH...]           Import assistant history: the default locations of Roo Code, Cline, Claude Code
                             and the Cline SDK, or the files and folders named (ChatGPT: conversations.json
                             or the export .zip). Unchanged sources are not read again.
  watch [PATH...]            Import, then keep importing what the assistants write, until Ctrl-C
  serve                      Run Chronicle in the web host: prints a local URL with a per-launch token, and
                             imports live from the default locations (--no-watch: don't)
  simulate                   Start simulated devices that sync with the running app or serve on the same
                             data directory: they add messages, rename conversations, go offline and return
  audit export               Export the audit trail (every change, from every device) with a signed digest
                             beside it (FILE.digest.json); message bodies are left out unless asked for
  audit verify FILE          Check an export against its digest: names the first record that was edited,
                             dropped, inserted or reordered, whether the signature holds, and which device
                             signed; only a key a device of this library registered, or one named with
                             --key or --fingerprint, is trusted
  audit verify --db          Check the hash chain stored in the repository
  audit key                  Print this device's signing key's fingerprint and the key (what --key and
                             --fingerprint take on another machine)

Options:
  --data-dir DIR             Where Chronicle keeps its data (default: $CHRONICLE_DATA_DIR, else the
                             platform's user-data folder for Chronicle)
  --source S                 import, watch: only this source (roo, cline, claude-code, chatgpt)
  --json                     stats, search, import: print one JSON document on stdout and nothing else
  --limit N                  search: results per page (1 to 200, default 20)
  --cursor C                 search: the next page, as printed by a previous --json search
  --port N                   serve: port on 127.0.0.1 (default: a free port)
  --devices N                simulate: how many devices (1 to 50, default 3)
  --rate R                   simulate: actions per second per device (1 to 100, default 1)
  --format F                 audit export: ndjson (default), csv or json
  --since T, --until T       audit export: events from/until this ISO 8601 date or time (inclusive)
  --device ID                audit export: events made on this device
  --action NAME              audit export: events of this kind, e.g. ConversationRenamed
  --conversation ID          audit export: events about this conversation
  --out FILE                 audit export: where to write (default: chronicle-audit-<time>.<format> here)
  --include-content          audit export: include message previews and texts
  --redact                   audit export: mask what looks like API keys and tokens, and count them
  --digest FILE              audit verify: the digest (default: FILE.digest.json)
  --key K                    audit verify: also trust this signing key (a file holding what audit key
                             prints, or the base64 key)
  --fingerprint FP           audit verify: also trust the key with this fingerprint (SHA256:...)
  -h, --help                 Show this help

Search language:
  words                      every word must match; accents and case are ignored
  "exact phrase"             the words in this order
  prefix*                    words starting with prefix
  -word                      leave out matches containing word
  workspace:NAME  model:NAME source:roo|cline|claude-code|chatgpt  role:user|assistant|system|tool
  after:2025-01-31 (inclusive)  before:2025-02-01 (exclusive)  is:starred  is:archived

Examples:
  chronicle search "connection pool" source:claude-code after:2025-01
  chronicle search 'migrat* -postgres' --json --limit 50
`
