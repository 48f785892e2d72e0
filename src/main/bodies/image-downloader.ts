/**
 * Fetches in the background the images other machines stored that the messages here refer to, so a conversation
 * read offline shows its images too: those of the most recently active conversations first, after the bodies
 * (an image is referred to only once the body that names it is here). Each pack is opened once for all the images
 * it holds, and each image is kept only if its bytes are the image of its name (image-items.ts).
 *
 * An image that cannot be had now (its pack unreachable, or its item refused) is set aside for a while like a
 * body's pack, so a forged location costs one try per PACK_RETRY_MS, not a loop.
 */
import type { Kysely } from 'kysely'
import type { BlobClient } from '../blobs/blob-client'
import { forEachBounded } from '../blobs/bounded'
import { downloadPack } from '../blobs/pack-transfer'
import type { ImageStore } from '../images/image-store'
import type { Database } from '../repository/database-schema'
import { PACK_RETRY_MS, PACKS_AT_ONCE, type FetchRound } from './body-downloader'
import { IMAGE_BYTES_PER_ROUND, keepImageFromPack } from './image-items'
import { everyLocatedImage, referencedImageLocations, type StoredImageLocation } from './image-locations'

export interface ImageDownloaderOptions {
  readonly db: Kysely<Database>
  readonly client: BlobClient
  readonly store: ImageStore
  readonly onProblem?: (message: string) => void
  readonly now?: () => number
  readonly retryMs?: number
  /** Image bytes a round fetches at most (beyond its first image): IMAGE_BYTES_PER_ROUND. */
  readonly budgetBytes?: number
}

export interface ImageDownloader {
  round(): Promise<FetchRound>
  /** Images still to fetch as the last round found them (those set aside included), less those it fetched. */
  waiting(): number
}

export function makeImageDownloader(options: ImageDownloaderOptions): ImageDownloader {
  const { store } = options
  const now = options.now ?? Date.now
  /** Images known to be kept: images/ only grows, so each is looked for on disk once. */
  const kept = new Set<string>()
  /** Image → when it may be asked for again. */
  const setAside = new Map<string, number>()
  let missing = 0

  const wantedNow = async (): Promise<StoredImageLocation[]> => {
    const at = now()
    const budget = options.budgetBytes ?? IMAGE_BYTES_PER_ROUND
    const wanted: StoredImageLocation[] = []
    let bytes = 0
    missing = 0
    // Once every image is here, a wake costs a scan of the locations' key (6 ms for 15,000 images), not the
    // query that orders them by conversation (38 ms): it asks only about the images not known to be kept.
    const located = await everyLocatedImage(options.db)
    const unknown = located.filter((sha256) => !kept.has(sha256))
    if (unknown.length === 0) return wanted
    const among = unknown.length * 2 > located.length ? undefined : unknown
    for (const location of await referencedImageLocations(options.db, among)) {
      const { sha256 } = location
      if (kept.has(sha256)) continue
      if (store.has(sha256)) {
        kept.add(sha256)
        continue
      }
      missing += 1
      if ((setAside.get(sha256) ?? 0) > at || (wanted.length > 0 && bytes + location.length > budget))
        continue
      wanted.push(location)
      bytes += location.length
    }
    return wanted
  }

  return {
    async round() {
      const byPack = new Map<string, StoredImageLocation[]>()
      for (const location of await wantedNow())
        byPack.set(location.packAddress, [...(byPack.get(location.packAddress) ?? []), location])
      let fetched = 0
      let failure: string | null = null
      const setAsideAll = (locations: readonly StoredImageLocation[]) => {
        for (const { sha256 } of locations) setAside.set(sha256, now() + (options.retryMs ?? PACK_RETRY_MS))
      }
      await forEachBounded([...byPack.entries()], PACKS_AT_ONCE, async ([packAddress, wanted]) => {
        try {
          const pack = await downloadPack(options.client, packAddress)
          for (const location of wanted) {
            const problem = keepImageFromPack(pack, location, store)
            if (problem === null) {
              kept.add(location.sha256)
              fetched += 1
            } else {
              setAsideAll([location])
              options.onProblem?.(problem)
            }
          }
        } catch (error) {
          setAsideAll(wanted)
          failure = error instanceof Error ? error.message : String(error)
          options.onProblem?.(`pack ${packAddress.slice(0, 12)} of images could not be fetched: ${failure}`)
        }
      })
      missing -= fetched
      return { fetched, failure }
    },
    waiting: () => missing,
  }
}
