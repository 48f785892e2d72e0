/**
 * Images between two machines of one library, through the real sync Worker in workerd: an image A imported (kept
 * in A's images/) travels packed with the body that refers to it and reaches B's images/ unasked, and B's `image`
 * API answers with the very bytes; an image item whose bytes are not the image asked for keeps nothing on B.
 */
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { makeBlobClient } from '../blobs/blob-client'
import { encodePack } from '../blobs/body-pack'
import { makeHandlers } from '../api/handlers'
import { until } from '../hub/test-support/until'
import { imageStore } from '../images/image-store'
import { useScratch } from '../repository/test-support/scratch'
import { useRelayMachines, type RelayMachine } from '../relay/test-support/relay-machines'
import { fetchImage } from './image-items'
import { imageLocation, recordImageLocations } from './image-locations'
import { pngOf } from './test-support/tiny-png'

const STORE_ID = 'library-images-test'
const scratch = useScratch()
const { machine, key, worker, persistTo } = useRelayMachines(scratch, STORE_ID)

const CONVERSATION = 'claude-code:images-1'
const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')
const imagesOf = (m: RelayMachine) => imageStore(dirname(m.repository.file))

/** A imports one message whose content refers to `png`, kept in A's images/ as an import keeps it. */
async function importImageOn(m: RelayMachine, png: Buffer): Promise<string> {
  const sha256 = imagesOf(m).put(png)
  expect(sha256).toBe(sha256Of(png))
  await m.repository.write('import', async (w) => {
    await w.upsertConversations([
      {
        id: CONVERSATION,
        source: 'claude-code',
        sourceId: 'images-1',
        title: 'Images',
        createdAt: 1_700_000_000_000,
      },
    ])
    await w.upsertMessages([
      {
        id: `${CONVERSATION}#0`,
        conversationId: CONVERSATION,
        ordinal: 0,
        role: 'user',
        createdAt: 1_700_000_000_000,
        text: 'What does this screenshot show? [image image/png, 1 KB]',
        content: [
          { type: 'text', text: 'What does this screenshot show?' },
          { type: 'image', omitted: true, mediaType: 'image/png', bytes: png.length, sha256 },
        ],
      },
    ])
  })
  return sha256 ?? ''
}

/** B's API as the app assembles it: its image store, and the sync runtime's body transfer. */
const apiOf = (m: RelayMachine) =>
  makeHandlers(m.repository, {
    sync: {
      device: m.runtime.device,
      hub: m.runtime.hub,
      clients: m.runtime.clients,
      repositoryBacklog: () => m.runtime.repositoryBacklog(),
      bodies: m.runtime.bodies,
    },
    images: imagesOf(m),
  })

const workerHolds = (bytes: Buffer) =>
  readdirSync(persistTo, { recursive: true, encoding: 'utf8' })
    .map((name) => join(persistTo, name))
    .filter((path) => statSync(path).isFile())
    .some((path) => readFileSync(path).includes(bytes))

describe('images between machines', () => {
  it('brings to B in the background the image A imported, and serves it with the very bytes', async () => {
    const a = await machine()
    const b = await machine()
    const png = pngOf([200, 30, 30], 24)
    const sha256 = await importImageOn(a, png)

    // Nobody asks for it: B fetches it once the body that refers to it is here.
    await until(
      () => imagesOf(b).read(sha256),
      (found) => found?.bytes.equals(png) === true,
      40_000,
    )
    // Stored once, where A recorded it.
    expect(await imageLocation(b.repository.db, sha256)).toEqual(await imageLocation(a.repository.db, sha256))

    const answer = await apiOf(b).image({ sha256 })
    expect(answer).toEqual({
      ok: true,
      value: { mediaType: 'image/png', dataUrl: `data:image/png;base64,${png.toString('base64')}` },
    })
    expect(workerHolds(png)).toBe(false)
  }, 90_000)

  it('keeps nothing on B from an image item that is not the image asked for', async () => {
    const a = await machine()
    const b = await machine()
    const png = pngOf([30, 200, 30], 16)
    const sha256 = await importImageOn(a, png)
    await until(
      () => imageLocation(b.repository.db, sha256),
      (location) => location !== undefined,
      40_000,
    )
    const genuine = await imageLocation(b.repository.db, sha256)
    const client = makeBlobClient({ url: worker().url, storeId: STORE_ID, key })

    // A pack sealed with the library's key whose item's bytes are not those its address names.
    const wanted = pngOf([30, 30, 200], 16)
    const forged = encodePack([{ address: client.address(pngOf([1, 2, 3], 16)), body: wanted }])
    const forgedPack = client.address(forged.plaintext)
    await client.uploadMany([{ address: forgedPack, plaintext: forged.plaintext }])
    const [item] = forged.entries
    await recordImageLocations(b.repository.db, forgedPack, [
      {
        sha256: sha256Of(wanted),
        bodyAddress: item?.address ?? '',
        offset: item?.offset ?? 0,
        length: wanted.length,
      },
    ])
    // A location that names a genuine item, whose bytes are another image.
    const other = pngOf([90, 90, 90], 16)
    await recordImageLocations(b.repository.db, genuine?.packAddress ?? '', [
      { ...(genuine ?? { bodyAddress: '', offset: 0, length: 0 }), sha256: sha256Of(other) },
    ])

    const transfer = b.runtime.bodies
    expect(await transfer?.fetchImage(sha256Of(wanted))).toBe(false)
    expect(await transfer?.fetchImage(sha256Of(other))).toBe(false)
    // Neither the forged bytes nor the genuine item's are kept for them.
    expect(imagesOf(b).read(sha256Of(wanted))).toBeNull()
    expect(imagesOf(b).read(sha256Of(other))).toBeNull()
    const answer = await apiOf(b).image({ sha256: sha256Of(other) })
    expect(answer.ok).toBe(false)
    // The genuine image still comes whole when asked for, into an images/ that lacks it.
    const elsewhere = imageStore(scratch.dir())
    expect(await fetchImage({ db: b.repository.db, client, store: elsewhere, sha256 })).toBe(true)
    expect(elsewhere.read(sha256)?.bytes.equals(png)).toBe(true)
  }, 90_000)
})
