/**
 * `chronicle sync setup URL | join CODE | status | leave`: gives this data directory a remote (a sync worker and a
 * library on it) or takes it away. The worker is asked first and the files are written only after it said yes, key
 * before settings (sync-settings.ts), so a wrong URL or key never leaves a half-joined data directory.
 *
 * Exit codes: 2 when the command is called wrongly (no URL or code, or more than one), as every command does; 1
 * when what was given is refused (a URL that is not a worker's URL, a garbled pairing code: as search treats a
 * malformed query), or the worker or the data directory says no (unreachable, refused, already set up, a damaged
 * file); 0 otherwise. Status reports a refused or unreachable worker and exits 0: it answered the question.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, rmSync } from 'node:fs'
import { resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { loadOrCreateSigningKey } from '../../audit/signing-key'
import { openHubEventlog } from '../../hub/hub-eventlog'
import { sendHistoryUp } from '../../relay/send-history'
import type { RelayConfig } from '../../relay/relay'
import { DATABASE_FILE } from '../../repository/repository'
import { deriveSyncKeys, LibraryKey } from '../../sync/library-key'
import { libraryKeyPath, LibraryKeyFileError, writeLibraryKey } from '../../sync/library-key-file'
import { checkWorkerUrl, makePairingCode, PairingCodeError, parsePairingCode } from '../../sync/pairing-code'
import {
  syncSettingsPath,
  SyncSettingsError,
  writeSyncSettings,
  type SyncRole,
  type SyncSettings,
} from '../../sync/sync-settings'
import { claimLibrary } from '../../sync/sync-settings-remote'
import { EXIT, UsageError, withRepository, type CommandContext } from '../command-context'
import { commandProgress } from '../progress-line'
import { formatInt } from '../terminal'
import { assertNoRemote, claimRefusal, holdDataDir, SyncRefusal } from './sync-guards'
import { catchUpTrail, mergeOwnLibrary } from './sync-merge'
import { leave, status } from './sync-status'

/** 128 random bits after a readable prefix: `chronicle-` and 22 base64url characters, 32 in all. */
const newStoreId = () => `chronicle-${randomBytes(16).toString('base64url')}`

/** Key, then settings; a failure writing the settings takes the new key away again. */
function store(dataDir: string, key: LibraryKey, settings: SyncSettings): void {
  writeLibraryKey(dataDir, key)
  try {
    writeSyncSettings(dataDir, settings)
  } catch (error) {
    rmSync(libraryKeyPath(dataDir), { force: true })
    throw error
  }
}

const settingsFor = (url: string, storeId: string, role: SyncRole): SyncSettings => ({
  url,
  storeId,
  joinedAt: new Date().toISOString(),
  role,
})

function readUrl(operands: readonly string[]): string {
  if (operands.length !== 1 || operands[0] === undefined)
    throw new UsageError("it takes one URL, the sync worker's (e.g. https://chronicle-sync.you.workers.dev)")
  try {
    return checkWorkerUrl(operands[0])
  } catch (error) {
    if (error instanceof PairingCodeError) throw new SyncRefusal(error.message)
    throw error
  }
}

/** `--claim-secret -`: the secret from stdin, never from the command line (shell history, the process list). */
async function readClaimSecret(option: string | undefined): Promise<string | undefined> {
  if (option === undefined) return undefined
  if (option !== '-')
    throw new UsageError(
      '--claim-secret takes - and reads the secret from stdin, so it stays out of shell history',
    )
  const secret = (await firstLineOfStdin()).trim()
  if (secret === '') throw new SyncRefusal('no claim secret on stdin; nothing was written')
  return secret
}

async function setup(context: CommandContext, operands: readonly string[]): Promise<number> {
  const url = readUrl(operands)
  const { dataDir, json } = context.options
  assertNoRemote(dataDir)
  const claimSecret = await readClaimSecret(context.options.claimSecret)
  const key = LibraryKey.generate()
  const claim = (storeId: string) =>
    claimLibrary(url, storeId, deriveSyncKeys(key, storeId).workerToken, claimSecret)
  // A 409 on a fresh random id means another library took it: one more id, then give up.
  let storeId = newStoreId()
  let answer = await claim(storeId)
  if (answer.kind === 'refused' && answer.status === 409) {
    storeId = newStoreId()
    answer = await claim(storeId)
  }
  const refused = claimRefusal(answer, url, storeId)
  if (refused) throw refused
  const sent = await sendHistory(context, { url, storeId, key })
  const settings = settingsFor(url, storeId, 'set-up')
  store(dataDir, key, settings)
  const pairingCode = makePairingCode({ workerUrl: url, storeId, key })
  const { out } = context.output
  if (json) {
    out(JSON.stringify({ ...settings, dataDir, eventsSent: sent, pairingCode, pairingCodeIsSecret: true }))
    return EXIT.ok
  }
  out(`Sync set up: library ${storeId} on ${url}.`)
  if (sent > 0) out(`This library's history went up first: ${sent} events, encrypted.`)
  out('')
  out('Pairing code. It is a secret: anyone who has it can read and write this whole library.')
  out('Paste it only into `chronicle sync join` on your own machines; do not send it by chat or mail.')
  out('')
  out(`  ${pairingCode}`)
  out('')
  out(
    'On another machine: `chronicle sync join -`, then paste the code (as an argument it stays in shell history).',
  )
  out(`Written: ${libraryKeyPath(dataDir)} and ${syncSettingsPath(dataDir)} (both 0600).`)
  return EXIT.ok
}

const hasDatabase = (dataDir: string) => existsSync(resolve(dataDir, DATABASE_FILE))

/** The events of this data directory's own trail (0 for a folder without a library yet). */
async function eventsHeld(context: CommandContext): Promise<number> {
  if (!hasDatabase(context.options.dataDir)) return 0
  return withRepository(context, async (repository) => (await openHubEventlog(repository.db)).head())
}

/**
 * Setup sends the library this machine already has up before it writes the settings and prints the code
 * (send-history.ts says why). A failure leaves the data directory as it was; the library claimed on the worker
 * stays unused.
 */
async function sendHistory(context: CommandContext, relay: RelayConfig): Promise<number> {
  const { dataDir } = context.options
  if (!hasDatabase(dataDir)) return 0
  const progress = commandProgress(context)
  await catchUpTrail(context, progress)
  const outcome = await withRepository(context, (repository) =>
    sendHistoryUp({
      db: repository.db,
      relay,
      signingKey: loadOrCreateSigningKey(context.options.dataDir),
      onProgress: (sent, total) =>
        progress.update(
          `Sending this library's history up: ${formatInt(sent)} of ${formatInt(total)} events`,
        ),
    }),
  )
  progress.done()
  if (outcome.kind === 'failed')
    throw new SyncRefusal(`sending this library's history up failed: ${outcome.reason}; nothing was written`)
  return outcome.events
}

/**
 * `join -` reads the code from stdin: a code given as an argument is the library key in the shell's history and, while
 * the command runs, in the process list other users of the machine can read.
 */
async function firstLineOfStdin(): Promise<string> {
  const lines = createInterface({ input: process.stdin, terminal: false })
  for await (const line of lines) if (line.trim() !== '') return line
  return ''
}

async function join(context: CommandContext, operands: readonly string[]): Promise<number> {
  if (operands.length !== 1 || operands[0] === undefined)
    throw new UsageError(
      'it takes one CODE, the pairing code `chronicle sync setup` printed, or - to paste it',
    )
  const pasted = operands[0] === '-' ? await firstLineOfStdin() : operands[0]
  let pairing
  try {
    pairing = parsePairingCode(pasted)
  } catch (error) {
    if (error instanceof PairingCodeError) throw new SyncRefusal(error.message)
    throw error
  }
  const { dataDir, json } = context.options
  assertNoRemote(dataDir)
  const { workerUrl: url, storeId, key } = pairing
  const answer = await claimLibrary(url, storeId, deriveSyncKeys(key, storeId).workerToken)
  const refused = claimRefusal(answer, url, storeId)
  if (refused) throw refused
  // A library of its own goes into the joined one (merge-on-join.ts), before the settings say it syncs.
  const merged = (await eventsHeld(context)) > 0 ? await mergeOwnLibrary(context) : null
  const settings = settingsFor(url, storeId, 'joined')
  store(dataDir, key, settings)
  // 201: the worker did not know the library (its storage was reset, or it is another worker); the key claimed it.
  const claimedNow = answer.kind === 'claimed'
  const { out } = context.output
  if (json) {
    out(JSON.stringify({ ...settings, dataDir, claimedNow, merged }))
    return EXIT.ok
  }
  out(`Joined library ${storeId} on ${url}.`)
  if (merged) {
    out(
      `This machine's own library goes into it when Chronicle next runs here: ${formatInt(merged.conversations)} ` +
        `conversations and ${formatInt(merged.messages)} messages, after the library's history.`,
    )
    out(
      `Its audit trail until now (${formatInt(merged.eventsExported)} events) is exported and signed in ` +
        `${merged.trailExport}; the library's trail records this machine's part anew from here. To check it: ` +
        `chronicle audit verify ${merged.trailExport} --fingerprint ${merged.signedBy}`,
    )
  }
  if (claimedNow)
    out(
      'The worker did not know this library (its storage may have been reset); it is claimed with this key now.',
    )
  out(`Written: ${libraryKeyPath(dataDir)} and ${syncSettingsPath(dataDir)} (both 0600).`)
  return EXIT.ok
}

const SUBCOMMANDS = { setup, join, status, leave } as const

export async function syncCommand(context: CommandContext): Promise<number> {
  const [sub = '', ...operands] = context.args
  const run = SUBCOMMANDS[sub as keyof typeof SUBCOMMANDS]
  try {
    const release = sub === 'status' ? () => undefined : holdDataDir(context.options.dataDir, sub)
    try {
      return await run(context, operands)
    } finally {
      release()
    }
  } catch (error) {
    // Named with the subcommand, as the parser names it (`chronicle sync join: ...`), not just `chronicle sync`.
    if (error instanceof UsageError) {
      context.output.err(`chronicle sync ${sub}: ${error.message} (see chronicle sync ${sub} --help)`)
      return EXIT.usage
    }
    if (
      error instanceof SyncRefusal ||
      error instanceof SyncSettingsError ||
      error instanceof LibraryKeyFileError
    ) {
      context.output.err(`chronicle sync ${sub}: ${error.message}`)
      return EXIT.failure
    }
    throw error
  }
}
