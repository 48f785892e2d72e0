/**
 * What the Worker keeps and what a blob costs, measured rather than assumed: the persist directory of the local
 * Worker (wrangler dev's simulated R2 bucket) holds no plaintext and no plain SHA-256 of a body, only the sealed
 * bytes; the bytes on the wire per body (through a counting TCP proxy) against the body's size; the disk the
 * simulated bucket takes per small body; and how many small bodies per second uploadMany stores.
 */
import { createHash, randomBytes } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LibraryKey } from '../sync/library-key'
import { makeBlobClient } from './blob-client'
import { SEAL_OVERHEAD_BYTES } from './blob-crypto'
import { useClaimedWorker } from './test-support/claimed-worker'
import { startCountingProxy, type CountingProxy } from './test-support/counting-proxy'

const storeId = 'library-blob-wire'
const key = LibraryKey.generate()
const worker = useClaimedWorker(storeId, key)
let proxy: CountingProxy

beforeAll(async () => {
  proxy = await startCountingProxy(worker.url)
})
afterAll(() => proxy.close())

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
}
const bytesUnder = (dir: string): number =>
  filesUnder(dir).reduce((sum, path) => sum + statSync(path).size, 0)

describe('blobs on the wire and on the Worker', () => {
  it('leaves no plaintext and no plain hash of a body in the Worker’s storage, only the sealed bytes', async () => {
    const blobs = makeBlobClient({ url: worker.url, storeId, key })
    const phrase = `chronicle-canary-${randomBytes(6).toString('hex')}`
    const message = Buffer.from(`The answer mentions ${phrase} in a long reply.\n`.repeat(40), 'utf8')
    const image = Buffer.concat([randomBytes(5000), Buffer.from(phrase), randomBytes(5000)])
    const items = [message, image].map((plaintext) => ({ address: blobs.address(plaintext), plaintext }))
    expect((await blobs.uploadMany(items)).uploaded).toHaveLength(2)
    const sealed = await fetch(`${worker.url}/libraries/${storeId}/blobs/${items[0]?.address}`, {
      headers: { authorization: `Bearer ${worker.token}` },
    })
    const stored = Buffer.from(await sealed.arrayBuffer())

    const files = filesUnder(worker.persistTo).map((path) => readFileSync(path))
    // The search looks at the right bytes: the sealed blob is there, whole.
    expect(files.some((bytes) => bytes.includes(stored))).toBe(true)
    for (const needle of [
      phrase,
      message.subarray(0, 40).toString('utf8'),
      createHash('sha256').update(message).digest('hex'),
      createHash('sha256').update(image).digest('hex'),
    ])
      expect(files.filter((bytes) => bytes.includes(needle))).toHaveLength(0)
  })

  it('costs a fixed few hundred bytes per body on the wire, on top of the body', async () => {
    const blobs = makeBlobClient({ url: proxy.url, storeId, key })
    const rows: string[] = []
    for (const size of [0, 100, 1_000, 10_000, 100_000, 1_000_000]) {
      const body = randomBytes(size)
      const address = blobs.address(body)
      proxy.reset()
      await blobs.upload(address, body)
      const up = proxy.counts()
      proxy.reset()
      await blobs.download(address)
      const down = proxy.counts()
      const uploadCost = up.up + up.down - size
      const downloadCost = down.up + down.down - size
      rows.push(
        `${String(size).padStart(9)} B body: upload ${up.up} B up + ${up.down} B down (+${uploadCost}), download ${down.up} B up + ${down.down} B down (+${downloadCost})`,
      )
      expect(up.up).toBeGreaterThanOrEqual(size + SEAL_OVERHEAD_BYTES)
      expect(uploadCost).toBeLessThan(800)
      expect(downloadCost).toBeLessThan(800)
    }
    // In bulk, a missing-check is shared by 40 bodies.
    const bulk = Array.from({ length: 40 }, () => randomBytes(1000)).map((plaintext) => ({
      address: blobs.address(plaintext),
      plaintext,
    }))
    proxy.reset()
    await blobs.uploadMany(bulk)
    const total = proxy.counts().up + proxy.counts().down
    rows.push(
      `uploadMany of 40 × 1000 B: ${total} B in all, ${Math.round(total / 40 - 1000)} B per body beyond the body`,
    )
    console.log(`Bytes on the wire per blob (HTTP, through a counting proxy):\n${rows.join('\n')}`)
  })

  it('stores 400 small bodies at a measured rate and disk cost', async () => {
    const blobs = makeBlobClient({ url: worker.url, storeId, key, concurrency: 8 })
    const count = 400
    const items = Array.from({ length: count }, (_, i) =>
      Buffer.from(`message ${i}: ${randomBytes(300).toString('base64')}`, 'utf8'),
    ).map((plaintext) => ({ address: blobs.address(plaintext), plaintext }))
    const r2 = join(worker.persistTo, 'v3', 'r2')
    const diskBefore = bytesUnder(r2)
    const started = performance.now()
    const result = await blobs.uploadMany(items)
    const seconds = (performance.now() - started) / 1000
    expect(result.uploaded).toHaveLength(count)
    const bodyBytes = items.reduce((sum, item) => sum + item.plaintext.length, 0)
    const diskPerBody = (bytesUnder(r2) - diskBefore) / count
    console.log(
      `uploadMany, ${count} bodies of ${bodyBytes / count} B, concurrency 8: ${seconds.toFixed(2)} s, ` +
        `${Math.round(count / seconds)} bodies/s; simulated R2 on disk: ${Math.round(diskPerBody)} B per body`,
    )
  }, 120_000)
})
