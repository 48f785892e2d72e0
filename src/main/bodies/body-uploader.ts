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
 *
 * The images in images/ that the round's messages refer to travel in the same packs, each once (image-items.ts),
 * and are announced with them by their SHA-256; an image too large for any blob stays on this machine, said once.
 */
import { BODIES_PER_EVENT, events } from '../../shared/livestore/events'
import type { BlobClient } from '../blobs/blob-client'
import { uploadBodies, type PackIndexEntry } from '../blobs/pack-transfer'
import type { BridgeEvent } from '../bridge/events-from-changes'
import type { ImageStore } from '../images/image-store'
import type { Repository } from '../repository/repository'
import {
  locationsOfBodies,
  markStored,
  recordBodyLocations,
  unstoredBodies,
  type BodyLocation,
  type UnstoredBody,
} from './body-locations'
import { imagesToPack, type ImageItem } from './image-items'
import { recordImageLocations, type ImageLocation } from './image-locations'
import { encodeMessageBody } from './message-body'

/** Bodies read per round: a few packs' worth, so a round's memory stays small whatever the queue holds. */
export const BODIES_PER_ROUND = 2_000

export interface BodyUploaderOptions {
  readonly repository: Repository
  readonly client: BlobClient
  /** Where the images the bodies refer to are kept (images/ in the data directory). */
  readonly images: ImageStore
  readonly deviceId: string
  /** Commits this machine's events (the main store's commit). */
  readonly commit: (events: readonly BridgeEvent[]) => Promise<void>
  /**
   * True while this machine's changes are not all events yet (or its events not all confirmed). Asked again after
   * the queue is read: a body read while it is false belongs to a message whose v1.MessagesAppended is committed,
   * so its v1.BodiesPacked follows it in the eventlog and another machine can tell a purged message from one to
   * come. Asked before the read too, which spares the read while an import is being bridged.
   */
  readonly eventsBusy?: () => Promise<boolean>
  readonly onProblem?: (message: string) => void
  readonly now?: () => number
}

export interface StoreRound {
  /** Messages whose bodies are now located (sent now, or found stored under another message). */
  readonly located: number
}

interface Candidate extends UnstoredBody {
  readonly address: string
  readonly body: Buffer
}

/**
 * One round: at most BODIES_PER_ROUND queued bodies stored and announced. Zero located: the queue is empty, or the
 * events are busy (the next wake-up tries again).
 */
export async function storeBodiesRound(options: BodyUploaderOptions): Promise<StoreRound> {
  const { repository, client } = options
  // While an import is being bridged every write wakes the transfer: no read until its bodies can be announced.
  const nothing = { located: 0 }
  if (await options.eventsBusy?.()) return nothing
  const queued = await unstoredBodies(repository.db, BODIES_PER_ROUND)
  if (queued.length === 0 || (await options.eventsBusy?.())) return nothing
  const round = await imagesToPack({
    db: repository.db,
    store: options.images,
    address: (bytes) => client.address(bytes),
    messages: queued,
    ...(options.onProblem && { onProblem: options.onProblem }),
  })
  const candidates: Candidate[] = queued.slice(0, round.messages).map((row) => {
    const body = encodeMessageBody(row)
    return { ...row, body, address: client.address(body) }
  })
  const byAddress = groupBy(candidates, (c) => c.address)
  const images = new Map(round.images.map((image) => [image.address, image]))
  const where = { byAddress, images }
  const known = await locationsOfBodies(repository.db, [...byAddress.keys()])

  // Bodies stored before, under another message or by another machine: announced where they are.
  const reused = [...known.values()]
  await locate(options, reused, where)

  const toSend = [...byAddress.entries()]
    .filter(([address]) => !known.has(address))
    .map(([address, [first]]) => ({ address, body: (first as Candidate).body }))
  const result = await uploadBodies(client, [...toSend, ...round.images], {
    onStored: (entries) => locate(options, entries, where),
  })
  // A body or image no pack can hold (over the blob limit) stays on this machine only; a body leaves the queue.
  const refused = result.refused.flatMap(({ address, error }) => {
    const what = images.has(address) ? 'an image' : 'a message body'
    options.onProblem?.(`${what} is not stored on the sync worker: ${error.message}`)
    return byAddress.get(address) ?? []
  })
  if (refused.length > 0) await repository.write('sync', (_w, trx) => markStored(trx, refused))
  const located = [...reused, ...result.entries].reduce(
    (sum, entry) => sum + (byAddress.get(entry.bodyAddress)?.length ?? 0),
    0,
  )
  return { located }
}

interface PackContents {
  readonly bodies: (BodyLocation & { candidate: Candidate })[]
  readonly images: ImageLocation[]
}

/**
 * Announces, then records, where the bodies of `entries` are, for every queued message with one of them, and
 * where the round's images among them are.
 */
async function locate(
  options: BodyUploaderOptions,
  entries: readonly PackIndexEntry[],
  where: {
    readonly byAddress: ReadonlyMap<string, readonly Candidate[]>
    readonly images: ReadonlyMap<string, ImageItem>
  },
): Promise<void> {
  const byPack = new Map<string, PackContents>()
  const contentsOf = (pack: string) => {
    const contents = byPack.get(pack) ?? { bodies: [], images: [] }
    byPack.set(pack, contents)
    return contents
  }
  for (const { bodyAddress, packAddress, offset, length } of entries) {
    for (const candidate of where.byAddress.get(bodyAddress) ?? [])
      contentsOf(packAddress).bodies.push({
        messageId: candidate.messageId,
        bodyAddress,
        offset,
        length,
        candidate,
      })
    const image = where.images.get(bodyAddress)
    if (image) contentsOf(packAddress).images.push({ sha256: image.sha256, bodyAddress, offset, length })
  }
  if (byPack.size === 0) return
  const meta = () => ({
    at: (options.now ?? Date.now)(),
    deviceId: options.deviceId,
    actor: 'body-uploader',
    origin: 'sync' as const,
  })
  const announcements: BridgeEvent[] = []
  for (const [packAddress, { bodies, images }] of byPack)
    for (let at = 0; at < Math.max(bodies.length, images.length); at += BODIES_PER_EVENT) {
      const someImages = images.slice(at, at + BODIES_PER_EVENT)
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
          ...(someImages.length > 0 && { images: someImages }),
        }),
      )
    }
  await options.commit(announcements)
  await options.repository.write('sync', async (_w, trx) => {
    for (const [packAddress, { bodies, images }] of byPack) {
      await recordBodyLocations(trx, packAddress, bodies)
      await recordImageLocations(trx, packAddress, images, { onlyReferenced: true })
    }
    await markStored(
      trx,
      [...byPack.values()].flatMap(({ bodies }) => bodies.map(({ candidate }) => candidate)),
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
