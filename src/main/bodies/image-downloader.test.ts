/**
 * The background image fetch against the real sync Worker (wrangler dev's simulated R2): the images the messages
 * here refer to come in, the most recently active conversation's first, each pack opened once; an image no message
 * here refers to is left on the worker; and bad input (a location whose item is another image, a pack the worker
 * does not have) keeps nothing, is reported once, and is tried again only after the retry delay.
 */
import { createHash } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { makeBlobClient, type BlobClient } from '../blobs/blob-client'
import { encodePack } from '../blobs/body-pack'
import { useClaimedWorker } from '../blobs/test-support/claimed-worker'
import { imageStore } from '../images/image-store'
import type { Repository } from '../repository/repository'
import { useScratch } from '../repository/test-support/scratch'
import { LibraryKey } from '../sync/library-key'
import { makeImageDownloader } from './image-downloader'
import { recordImageLocations, type ImageLocation } from './image-locations'
import { referToImages } from './test-support/images-referred'
import { pngOf } from './test-support/tiny-png'

const storeId = 'library-image-downloader'
const key = LibraryKey.generate()
const worker = useClaimedWorker(storeId, key)
const scratch = useScratch()
let blobs: BlobClient

beforeAll(() => {
  blobs = makeBlobClient({ url: worker.url, storeId, key })
})

const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

/** Another machine's upload: the images in one pack on the worker, and where each is, as its event says. */
async function packed(images: readonly Buffer[]): Promise<{ pack: string; locations: ImageLocation[] }> {
  const encoded = encodePack(images.map((body) => ({ address: blobs.address(body), body })))
  const pack = blobs.address(encoded.plaintext)
  await blobs.uploadMany([{ address: pack, plaintext: encoded.plaintext }])
  const locations = encoded.entries.map((entry, i) => ({
    sha256: sha256Of(images[i]!),
    bodyAddress: entry.address,
    offset: entry.offset,
    length: entry.length,
  }))
  return { pack, locations }
}

/** A conversation last active at `at` whose one message refers to `images` (its body fetched from sync). */
const referTo = (repository: Repository, id: string, at: number, images: readonly Buffer[]) =>
  referToImages(
    repository,
    id,
    at,
    images.map((png) => ({ sha256: sha256Of(png), bytes: png.length })),
  )

/** A repository, its images/ and a downloader over them; `clock` moves the downloader's time. */
function machineB(options: { budgetBytes?: number } = {}) {
  const repository = scratch.open()
  const store = imageStore(scratch.dir())
  const problems: string[] = []
  const clock = { now: 1_000_000 }
  const requests: string[] = []
  const client = makeBlobClient({
    url: worker.url,
    storeId,
    key,
    fetch: (input, init) => {
      requests.push(`${init?.method ?? 'GET'} ${String(input).split('/').pop() ?? ''}`)
      return fetch(input, init)
    },
  })
  const downloader = makeImageDownloader({
    db: repository.db,
    client,
    store,
    onProblem: (message) => problems.push(message),
    now: () => clock.now,
    retryMs: 60_000,
    ...options,
  })
  return { repository, store, problems, clock, requests, downloader }
}

describe('images fetched in the background', () => {
  it("fetches what the messages here refer to, the latest conversation's first, each pack once", async () => {
    const older = pngOf([200, 10, 10], 20)
    const newer = pngOf([10, 200, 10], 20)
    const unreferenced = pngOf([10, 10, 200], 20)
    const first = await packed([older, unreferenced])
    const second = await packed([newer])
    // One image per round, so the order shows.
    const b = machineB({ budgetBytes: 1 })
    await recordImageLocations(b.repository.db, first.pack, first.locations)
    await recordImageLocations(b.repository.db, second.pack, second.locations)
    await referTo(b.repository, 'claude-code:older', 1_700_000_000_000, [older])
    await referTo(b.repository, 'claude-code:newer', 1_700_000_900_000, [newer])

    expect(b.downloader.waiting()).toBe(0)
    expect(await b.downloader.round()).toEqual({ fetched: 1, failure: null })
    expect(b.store.read(sha256Of(newer))?.bytes.equals(newer)).toBe(true)
    expect(b.store.has(sha256Of(older))).toBe(false)
    expect(b.downloader.waiting()).toBe(1)

    expect(await b.downloader.round()).toEqual({ fetched: 1, failure: null })
    expect(b.store.read(sha256Of(older))?.bytes.equals(older)).toBe(true)
    // Referred to by no message here: left on the worker, though its pack was opened.
    expect(b.store.has(sha256Of(unreferenced))).toBe(false)

    expect(await b.downloader.round()).toEqual({ fetched: 0, failure: null })
    expect(b.downloader.waiting()).toBe(0)
    const gets = b.requests.filter((request) => request.startsWith('GET'))
    expect(gets).toEqual([`GET ${second.pack}`, `GET ${first.pack}`])
    expect(b.problems).toEqual([])
  }, 60_000)

  it('opens a pack once for all the images a round wants from it', async () => {
    const images = [pngOf([1, 100, 1], 12), pngOf([2, 100, 2], 12), pngOf([3, 100, 3], 12)]
    const { pack, locations } = await packed(images)
    const b = machineB()
    await recordImageLocations(b.repository.db, pack, locations)
    await referTo(b.repository, 'claude-code:three', 1_700_000_000_000, images)

    expect(await b.downloader.round()).toEqual({ fetched: 3, failure: null })
    for (const png of images) expect(b.store.read(sha256Of(png))?.bytes.equals(png)).toBe(true)
    expect(b.requests.filter((request) => request.startsWith('GET'))).toEqual([`GET ${pack}`])
  }, 60_000)

  it('keeps nothing from a location whose item is another image, or a pack the worker lacks, until the retry', async () => {
    const genuine = pngOf([120, 120, 0], 16)
    const claimed = pngOf([0, 120, 120], 16)
    const missing = pngOf([120, 0, 120], 16)
    const { pack, locations } = await packed([genuine])
    const b = machineB()
    // Bad input: `claimed` located at the genuine image's item, and `missing` in a pack never uploaded.
    await recordImageLocations(b.repository.db, pack, [{ ...locations[0]!, sha256: sha256Of(claimed) }])
    await recordImageLocations(b.repository.db, blobs.address(Buffer.from('no such pack')), [
      { ...locations[0]!, sha256: sha256Of(missing) },
    ])
    await referTo(b.repository, 'claude-code:forged', 1_700_000_000_000, [claimed, missing])

    const round = await b.downloader.round()
    expect(round.fetched).toBe(0)
    expect(round.failure).not.toBeNull()
    expect(b.store.has(sha256Of(claimed))).toBe(false)
    expect(b.store.has(sha256Of(genuine))).toBe(false)
    expect(b.problems).toHaveLength(2)
    // Still to fetch, as far as anyone looking at the status is concerned.
    expect(b.downloader.waiting()).toBe(2)
    expect(b.problems.join('\n')).toMatch(/is refused: the bytes its location names are another image's/)

    // Set aside: the next rounds ask for nothing until the retry delay has passed.
    const asked = b.requests.length
    expect(await b.downloader.round()).toEqual({ fetched: 0, failure: null })
    expect(b.requests).toHaveLength(asked)
    b.clock.now += 60_001
    expect((await b.downloader.round()).fetched).toBe(0)
    expect(b.requests.length).toBeGreaterThan(asked)
    expect(b.problems).toHaveLength(4)
  }, 60_000)
})
