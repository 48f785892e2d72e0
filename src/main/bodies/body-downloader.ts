/**
 * Fetches the message bodies this machine holds only previews of, from the packs other machines announced: the
 * newest conversations first (or one conversation, when the reader waits for it). Each pack is verified as a whole
 * (its seal) and each body against its own address (blobs/pack-transfer.ts) before anything is written; the body
 * replaces the preview in one transaction per pack, written as origin 'sync', which the bridge never turns into
 * events (a fetched body is not announced again), and the message is marked BODY_FETCHED, which the uploader's
 * queue leaves out. Full-text search covers it from that commit on.
 *
 * A pack that cannot be had now (the worker unreachable, not there yet, or removed as tampered so its machine
 * stores it again) is set aside for a while: the other packs go on, and the events never wait for bodies.
 */
import { sql } from 'kysely'
import type { BlobClient } from '../blobs/blob-client'
import { forEachBounded } from '../blobs/bounded'
import { downloadPack } from '../blobs/pack-transfer'
import type { Repository } from '../repository/repository'
import { BODY_ELSEWHERE, BODY_FETCHED, bodiesToFetch, type StoredBodyLocation } from './body-locations'
import { decodeMessageBody, type MessageBody } from './message-body'

export const BODIES_FETCHED_PER_ROUND = 2_000
/** Packs in flight at once: hides the round trip, bounds the memory of opened packs (256 KiB each). */
export const PACKS_AT_ONCE = 4
/** How long a pack that could not be had is left alone before it is asked for again. */
export const PACK_RETRY_MS = 30_000

export interface BodyDownloaderOptions {
  readonly repository: Repository
  readonly client: BlobClient
  readonly onProblem?: (message: string) => void
  readonly now?: () => number
  readonly retryMs?: number
}

export interface FetchRound {
  readonly fetched: number
  /** Why the last pack that failed this round did (it is set aside, and asked for again after PACK_RETRY_MS). */
  readonly failure: string | null
}

export interface BodyDownloader {
  /** One round, optionally for one conversation only. */
  round(conversationId?: string): Promise<FetchRound>
}

export function makeBodyDownloader(options: BodyDownloaderOptions): BodyDownloader {
  const { repository, client } = options
  const now = options.now ?? Date.now
  /** Pack address → when it may be asked for again. */
  const setAside = new Map<string, number>()

  const fetchPack = async (packAddress: string, wanted: readonly StoredBodyLocation[]): Promise<number> => {
    const pack = await downloadPack(client, packAddress)
    const bodies: (MessageBody & { messageId: string })[] = []
    for (const location of wanted) {
      const bytes = pack.bodies.get(location.bodyAddress)
      if (bytes === undefined) {
        options.onProblem?.(
          `pack ${packAddress.slice(0, 12)} lacks the body of message ${location.messageId}`,
        )
        continue
      }
      try {
        bodies.push({ messageId: location.messageId, ...decodeMessageBody(bytes) })
      } catch (error) {
        options.onProblem?.(`the body of message ${location.messageId} is refused: ${String(error)}`)
      }
    }
    return writeBodies(repository, bodies)
  }

  return {
    async round(conversationId) {
      const at = now()
      for (const [pack, until] of setAside) if (until <= at) setAside.delete(pack)
      const located = await bodiesToFetch(repository.db, BODIES_FETCHED_PER_ROUND, conversationId)
      const byPack = new Map<string, StoredBodyLocation[]>()
      for (const location of located) {
        if (setAside.has(location.packAddress)) continue
        byPack.set(location.packAddress, [...(byPack.get(location.packAddress) ?? []), location])
      }
      let fetched = 0
      let failure: string | null = null
      await forEachBounded([...byPack.entries()], PACKS_AT_ONCE, async ([packAddress, wanted]) => {
        try {
          fetched += await fetchPack(packAddress, wanted)
        } catch (error) {
          setAside.set(packAddress, now() + (options.retryMs ?? PACK_RETRY_MS))
          failure = error instanceof Error ? error.message : String(error)
          options.onProblem?.(`pack ${packAddress.slice(0, 12)} could not be fetched: ${failure}`)
        }
      })
      return { fetched, failure }
    },
  }
}

/** Replaces previews with their bodies; a row that has its body meanwhile (imported here too) is left alone. */
async function writeBodies(
  repository: Repository,
  bodies: readonly (MessageBody & { messageId: string })[],
): Promise<number> {
  if (bodies.length === 0) return 0
  return repository.write('sync', async (_w, trx) => {
    let written = 0
    for (const { messageId, text, content, metadata } of bodies) {
      const result = await trx
        .updateTable('messages')
        .set({ text, content, metadata, body_state: BODY_FETCHED })
        .where('id', '=', messageId)
        .where(sql<boolean>`body_state = ${sql.lit(BODY_ELSEWHERE)}`)
        .executeTakeFirst()
      written += Number(result.numUpdatedRows)
    }
    return written
  })
}
