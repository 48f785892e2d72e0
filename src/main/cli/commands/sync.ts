/**
 * `chronicle sync setup URL | join CODE | status | leave`: gives this data directory a remote (a sync worker and a
 * library on it) or takes it away. Setup and join do their work in sync/library-membership.ts, which the app calls
 * too; this file reads the operands and stdin, holds the data directory while they run, and prints what they did.
 *
 * Exit codes: 2 when the command is called wrongly (no URL or code, or more than one), as every command does; 1
 * when what was given is refused (a URL that is not a worker's URL, a garbled pairing code: as search treats a
 * malformed query), or the worker or the data directory says no (unreachable, refused, already set up, a damaged
 * file); 0 otherwise. Status reports a refused or unreachable worker and exits 0: it answered the question.
 */
import { existsSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { describeMembershipStep } from '../../../shared/api/sync-membership'
import { tryLockDataDir } from '../../data-dir-lock'
import { fileLogger } from '../../logger'
import { libraryKeyPath, LibraryKeyFileError } from '../../sync/library-key-file'
import {
  joinLibrary,
  MembershipRefusal,
  setUpLibrary,
  type MembershipOptions,
} from '../../sync/library-membership'
import { assertNoRemote, workerUrlOf } from '../../sync/library-membership-guards'
import { syncSettingsPath, SyncSettingsError } from '../../sync/sync-settings'
import { EXIT, UsageError, type CommandContext } from '../command-context'
import { commandProgress } from '../progress-line'
import { formatInt } from '../terminal'
import { leave, status } from './sync-status'

/** `--claim-secret -`: the secret from stdin, never from the command line (shell history, the process list). */
async function readClaimSecret(option: string | undefined): Promise<string | undefined> {
  if (option === undefined) return undefined
  if (option !== '-')
    throw new UsageError(
      '--claim-secret takes - and reads the secret from stdin, so it stays out of shell history',
    )
  const secret = (await firstLineOfStdin()).trim()
  if (secret === '') throw new MembershipRefusal('no claim secret on stdin; nothing was written')
  return secret
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

/** The library-membership options for this command, its long steps drawn on the command's progress line. */
async function withMembership<T>(
  context: CommandContext,
  work: (options: MembershipOptions) => Promise<T>,
): Promise<T> {
  const { dataDir } = context.options
  const progress = commandProgress(context)
  try {
    return await work({
      dataDir,
      openRepository: () => context.openRepository(),
      log: fileLogger(dataDir),
      onProgress: (step) => progress.update(describeMembershipStep(step)),
    })
  } finally {
    progress.done()
  }
}

async function setup(context: CommandContext, operands: readonly string[]): Promise<number> {
  const [url] = operands
  if (operands.length !== 1 || url === undefined)
    throw new UsageError("it takes one URL, the sync worker's (e.g. https://chronicle-sync.you.workers.dev)")
  const { dataDir, json } = context.options
  // setUpLibrary checks both again; here they come before stdin, so nobody pastes a secret only to be refused.
  workerUrlOf(url)
  assertNoRemote(dataDir)
  const claimSecret = await readClaimSecret(context.options.claimSecret)
  const { settings, pairingCode, eventsSent } = await withMembership(context, (options) =>
    setUpLibrary(options, url, claimSecret),
  )
  const { out } = context.output
  if (json) {
    out(JSON.stringify({ ...settings, dataDir, eventsSent, pairingCode, pairingCodeIsSecret: true }))
    return EXIT.ok
  }
  out(`Sync set up: library ${settings.storeId} on ${settings.url}.`)
  if (eventsSent > 0) out(`This library's history went up first: ${eventsSent} events, encrypted.`)
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

async function join(context: CommandContext, operands: readonly string[]): Promise<number> {
  if (operands.length !== 1 || operands[0] === undefined)
    throw new UsageError(
      'it takes one CODE, the pairing code `chronicle sync setup` printed, or - to paste it',
    )
  const pasted = operands[0] === '-' ? await firstLineOfStdin() : operands[0]
  const { dataDir, json } = context.options
  const { settings, claimedNow, merged } = await withMembership(context, (options) =>
    joinLibrary(options, pasted),
  )
  const { out } = context.output
  if (json) {
    out(JSON.stringify({ ...settings, dataDir, claimedNow, merged }))
    return EXIT.ok
  }
  out(`Joined library ${settings.storeId} on ${settings.url}.`)
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

/**
 * Setup, join and leave change what a running Chronicle on this data directory would relay to, so they wait until
 * none runs, as `prices use` does. A folder that does not exist yet has no Chronicle on it.
 */
function holdDataDir(dataDir: string, sub: string): () => void {
  if (!existsSync(dataDir)) return () => undefined
  const lock = tryLockDataDir(dataDir, `chronicle sync ${sub}`)
  if (lock.locked) return () => lock.release()
  const { holder, pid } = lock.heldBy
  throw new MembershipRefusal(
    `${holder} (pid ${pid}) holds this library: use its Settings → Sync between machines, or stop it and run ` +
      'this command again',
  )
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
      error instanceof MembershipRefusal ||
      error instanceof SyncSettingsError ||
      error instanceof LibraryKeyFileError
    ) {
      context.output.err(`chronicle sync ${sub}: ${error.message}`)
      return EXIT.failure
    }
    throw error
  }
}
