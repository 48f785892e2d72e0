/**
 * Stores this machine's message bodies on the sync worker and tells the library where they are. One round takes
 * the queue's next bodies (the newest conversations first), packs and uploads those the worker lacks
 * (blobs/pack-transfer.ts), and then, for each group of packs the worker confirmed, commits v1.BodiesPacked and
 * records the locations here. A body another message already stored is not sent again: its message is announced
 * in the pack that holds it.
 *
 * The announcement comes after the upload, so no machine looks for a pack before it is there, and before the
 * local record, so a crash in between announces the pack again (harmless: applying it twice writes the same rows)
 * instead of never. A round cut short is finished by the next: packing is canonical, so the same queue makes the
 * same packs, and the worker's missing-check skips those already stored.
 */
import { BODIES_PER_EVENT, events } from '../../shared/livestore/events'
import type { BlobClient } from '../blobs/blob-client'
import { uploadBodies, type PackIndexEntry } from '../blobs/pack-transfer'
import type { BridgeEvent } from '../bridge/events-from-changes'
import type { Repository } from '../repository/repository'
import {
  locationsOfBodies,
  markStored,
  recordBodyLocations,
  unstoredBodies,
  type BodyLocation,
  type UnstoredBody,
} from './body-locations'
import { encodeMessageBody } from './message-body'

/** Bodies read per round: a few packs' worth, so a round's memory stays small whatever the queue holds. */
export const BODIES_PER_ROUND = 2_000

export interface BodyUploaderOptions {
  readonly repository: Repository
  readonly client: BlobClient
  readonly deviceId: string
  /** Commits this machine's events (the main store's commit). */
  readonly commit: (events: readonly BridgeEvent[]) => Promise<void>
  readonly onProblem?: (message: string) => void
  readonly now?: () => number
}

export interface StoreRound {
  /** Messages whose bodies are now located (sent now, or found stored under another message). */
  readonly located: number
  readonly packsSent: number
}

interface Candidate extends UnstoredBody {
  readonly address: string
  readonly body: Buffer
}

/** One round: at most BODIES_PER_ROUND queued bodies stored and announced. Zero located: the queue is empty. */
export async function storeBodiesRound(options: BodyUploaderOptions): Promise<StoreRound> {
  const { repository, client } = options
  const queued = await unstoredBodies(repository.db, BODIES_PER_ROUND)
  if (queued.length === 0) return { located: 0, packsSent: 0 }
  const candidates: Candidate[] = queued.map((row) => {
    const body = encodeMessageBody(row)
    return { ...row, body, address: client.address(body) }
  })
  const byAddress = groupBy(candidates, (c) => c.address)
  const known = await locationsOfBodies(repository.db, [...byAddress.keys()])

  // Bodies stored before, under another message or by another machine: announced where they are.
  const reused = [...known.values()]
  await locate(options, reused, byAddress)

  const toSend = [...byAddress.entries()]
    .filter(([address]) => !known.has(address))
    .map(([address, [first]]) => ({ address, body: (first as Candidate).body }))
  const result = await uploadBodies(client, toSend, {
    onStored: (entries) => locate(options, entries, byAddress),
  })
  // A body no pack can hold (over the blob limit) stays on this machine only; it leaves the queue, said once.
  const refused = result.refused.flatMap(({ address, error }) => {
    options.onProblem?.(`a message body is not stored on the sync worker: ${error.message}`)
    return byAddress.get(address) ?? []
  })
  if (refused.length > 0) await repository.write('sync', (_w, trx) => markStored(trx, refused))
  const located = [...reused, ...result.entries].reduce(
    (sum, entry) => sum + (byAddress.get(entry.bodyAddress)?.length ?? 0),
    0,
  )
  return { located, packsSent: result.packsSent }
}

/** Announces, then records, where the bodies of `entries` are, for every queued message with one of them. */
async function locate(
  options: BodyUploaderOptions,
  entries: readonly PackIndexEntry[],
  byAddress: ReadonlyMap<string, readonly Candidate[]>,
): Promise<void> {
  const byPack = new Map<string, (BodyLocation & { candidate: Candidate })[]>()
  for (const entry of entries)
    for (const candidate of byAddress.get(entry.bodyAddress) ?? []) {
      const list = byPack.get(entry.packAddress) ?? []
      list.push({
        messageId: candidate.messageId,
        bodyAddress: entry.bodyAddress,
        offset: entry.offset,
        length: entry.length,
        candidate,
      })
      byPack.set(entry.packAddress, list)
    }
  if (byPack.size === 0) return
  const meta = () => ({
    at: (options.now ?? Date.now)(),
    deviceId: options.deviceId,
    actor: 'body-uploader',
    origin: 'sync' as const,
  })
  const announcements: BridgeEvent[] = []
  for (const [packAddress, bodies] of byPack)
    for (let at = 0; at < bodies.length; at += BODIES_PER_EVENT)
      announcements.push(
        events.bodiesPacked({
          ...meta(),
          packAddress,
          bodies: bodies
            .slice(at, at + BODIES_PER_EVENT)
            .map(({ messageId, bodyAddress, offset, length }) => ({
              messageId,
              bodyAddress,
              offset,
              length,
            })),
        }),
      )
  await options.commit(announcements)
  await options.repository.write('sync', async (_w, trx) => {
    for (const [packAddress, bodies] of byPack) await recordBodyLocations(trx, packAddress, bodies)
    await markStored(
      trx,
      [...byPack.values()].flat().map(({ candidate }) => candidate),
    )
  })
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const list = groups.get(key(item)) ?? []
    list.push(item)
    groups.set(key(item), list)
  }
  return groups
}
