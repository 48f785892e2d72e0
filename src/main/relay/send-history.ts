/**
 * `chronicle sync setup` on a machine that already has a library sends that library's eventlog up before it prints
 * the pairing code, so a machine that joins with the code finds the whole history on the Worker and its own first
 * events follow it. Left to the relay's first contact (relay-replica.ts `seed`), the history would go up in batches
 * while the app starts, and a machine that joined meanwhile could push between two batches: the two eventlogs would
 * then disagree for good.
 *
 * It runs the relay itself (the same first contact, validation and encryption) until the Worker has caught up with
 * this machine, and stops at the first answer that is not progress: a refusal, or a Worker that cannot be reached.
 */
import type { Kysely } from 'kysely'
import type { SigningKey } from '../audit/signing-key'
import type { Database } from '../repository/database-schema'
import { openHubEventlog } from '../hub/hub-eventlog'
import { makeRelay, type RelayConfig, type RelayStatus } from './relay'

export type SendHistoryOutcome =
  { readonly kind: 'sent'; readonly events: number } | { readonly kind: 'failed'; readonly reason: string }

const PROGRESS_EVERY_MS = 100

export async function sendHistoryUp(options: {
  readonly db: Kysely<Database>
  readonly relay: RelayConfig
  /** This machine's key, which signs the history it sends up. */
  readonly signingKey: SigningKey
  readonly onProgress?: (sent: number, total: number) => void
}): Promise<SendHistoryOutcome> {
  const local = await openHubEventlog(options.db)
  const total = await local.head()
  // Nothing to send: the relay's first contact records the Worker's id when the app starts.
  if (total === 0) return { kind: 'sent', events: 0 }
  const problems: string[] = []
  const relay = makeRelay({
    ...options.relay,
    local,
    db: options.db,
    signingKey: options.signingKey,
    log: (line) => void problems.push(line),
  })
  const progress = setInterval(
    () => options.onProgress?.(relay.status().remoteHead ?? 0, total),
    PROGRESS_EVERY_MS,
  )
  try {
    const outcome = await new Promise<SendHistoryOutcome>((resolve) => {
      const check = (status: RelayStatus) => {
        const failed = failure(status)
        if (failed !== null) resolve({ kind: 'failed', reason: failed })
        else if (status.connection.state === 'connected' && status.connection.caughtUp)
          resolve({ kind: 'sent', events: total })
      }
      relay.subscribe(check)
      relay.start()
      check(relay.status())
    })
    options.onProgress?.(outcome.kind === 'sent' ? total : (relay.status().remoteHead ?? 0), total)
    return outcome
  } finally {
    clearInterval(progress)
    await relay.close()
  }
}

function failure(status: RelayStatus): string | null {
  const { connection } = status
  if (connection.state === 'refused') return connection.reason
  if (connection.state === 'unreachable') return `the worker could not be reached (${connection.reason})`
  return null
}
