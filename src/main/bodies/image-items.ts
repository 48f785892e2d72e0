/**
 * Images as pack items. Out: the images an upload round packs with its bodies, those the round's messages refer
 * to that no machine has stored on the worker yet, read from images/ and checked against their names (a file
 * changed on disk is not the image its messages mean, and is not sent as that image). In: an image another machine
 * stored, kept only if its bytes are the image of that name: fetched when the reader asks for it, or in the
 * background (image-downloader.ts).
 */
import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { BlobClient } from '../blobs/blob-client'
import type { DecodedPack } from '../blobs/body-pack'
import { downloadPack } from '../blobs/pack-transfer'
import type { ImageStore } from '../images/image-store'
import type { Database } from '../repository/database-schema'
import { imageLocation, imagesReferencedBy, locatedImages, type StoredImageLocation } from './image-locations'

/**
 * Image bytes one round holds at most (beyond its first image), uploading or fetching in the background: the rest
 * wait for the next round.
 */
export const IMAGE_BYTES_PER_ROUND = 32 * 1024 * 1024

/** An image as a pack item: under the keyed address of its bytes, like a body. */
export interface ImageItem {
  readonly sha256: string
  readonly address: string
  readonly body: Buffer
}

export interface RoundImages {
  readonly images: readonly ImageItem[]
  /** How many of the messages (from the first) the round takes: those whose images fit in its memory. */
  readonly messages: number
}

export async function imagesToPack(options: {
  readonly db: Kysely<Database>
  readonly store: ImageStore
  readonly address: (bytes: Uint8Array) => string
  readonly messages: readonly { readonly content: string | null }[]
  readonly onProblem?: (message: string) => void
  readonly budgetBytes?: number
}): Promise<RoundImages> {
  const { messages } = options
  const referenced = messages.map((m) => imagesReferencedBy(m.content))
  const located = await locatedImages(options.db, [...new Set(referenced.flat())])
  const images: ImageItem[] = []
  const seen = new Set<string>()
  let bytes = 0
  for (const [index, sha256s] of referenced.entries()) {
    const read: ImageItem[] = []
    for (const sha256 of sha256s) {
      if (located.has(sha256) || seen.has(sha256)) continue
      seen.add(sha256)
      // Not here (a message from another machine whose image was never asked for): nothing to store.
      const found = options.store.read(sha256)
      if (!found) continue
      if (sha256Of(found.bytes) !== sha256) {
        options.onProblem?.(`image ${sha256.slice(0, 12)} is not stored: its file no longer matches its name`)
        continue
      }
      read.push({ sha256, address: options.address(found.bytes), body: found.bytes })
    }
    const size = read.reduce((sum, item) => sum + item.body.byteLength, 0)
    if (index > 0 && bytes + size > (options.budgetBytes ?? IMAGE_BYTES_PER_ROUND))
      return { images, messages: index }
    images.push(...read)
    bytes += size
  }
  return { images, messages: messages.length }
}

/**
 * Fetches an image another machine stored and keeps it in `store`; true when it is here. The pack is verified as a
 * whole and the item against its keyed address (pack-transfer.ts); its bytes must then be the image asked for,
 * so a location that names the wrong item keeps nothing. Throws when the pack cannot be had.
 */
export async function fetchImage(options: {
  readonly db: Kysely<Database>
  readonly client: BlobClient
  readonly store: ImageStore
  readonly sha256: string
  readonly onProblem?: (message: string) => void
}): Promise<boolean> {
  const { sha256, store } = options
  if (store.has(sha256)) return true
  const location = await imageLocation(options.db, sha256)
  if (!location) return false
  const pack = await downloadPack(options.client, location.packAddress)
  const problem = keepImageFromPack(pack, location, store)
  if (problem !== null) options.onProblem?.(problem)
  return problem === null
}

/**
 * Keeps the image `location` names from an opened pack (verified as a whole and item by item by pack-transfer.ts),
 * if its bytes are the image of that name; null when it is kept, else why not.
 */
export function keepImageFromPack(
  pack: DecodedPack,
  location: StoredImageLocation,
  store: ImageStore,
): string | null {
  const { sha256 } = location
  const bytes = pack.bodies.get(location.bodyAddress)
  if (bytes === undefined)
    return `pack ${location.packAddress.slice(0, 12)} lacks image ${sha256.slice(0, 12)}`
  if (sha256Of(bytes) !== sha256)
    return `image ${sha256.slice(0, 12)} is refused: the bytes its location names are another image's`
  return store.put(Buffer.from(bytes)) === sha256
    ? null
    : `image ${sha256.slice(0, 12)} is not kept: it is not a raster image this machine keeps`
}

const sha256Of = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')
