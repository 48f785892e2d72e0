/**
 * Bodies in packs against the real sync Worker (wrangler dev's simulated R2 in a directory of this test's own):
 * a round trip of mixed sizes, re-uploads that send nothing, a run cut short that is finished without sending a
 * pack twice, a tampered pack refused and removed, and a body that does not match its address reported.
 */
import { randomBytes } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { LibraryKey } from '../sync/library-key'
import { makeBlobClient, type BlobClient, type BlobClientOptions } from './blob-client'
import { BlobError } from './blob-http'
import { encodePack, PACK_TARGET_BYTES, type PackBody } from './body-pack'
import { downloadPack, restorePacks, uploadBodies, type PackIndexEntry } from './pack-transfer'
import { useClaimedWorker } from './test-support/claimed-worker'

const storeId = 'library-pack-transfer'
const key = LibraryKey.generate()
const worker = useClaimedWorker(storeId, key)
let blobs: BlobClient

beforeAll(() => {
  blobs = client()
})

/** The requests a client sends, as `METHOD name`, and a way to make every one after the first `failAfter` fail. */
function countingFetch(failAfter = Infinity) {
  const sent: string[] = []
  const counting: typeof fetch = (input, init) => {
    sent.push(`${init?.method ?? 'GET'} ${String(input).split('/').pop() ?? ''}`)
    if (sent.length > failAfter) return Promise.reject(new TypeError('fetch failed'))
    return fetch(input, init)
  }
  return { fetch: counting, sent, puts: () => sent.filter((request) => request.startsWith('PUT')).length }
}

const client = (options: Partial<BlobClientOptions> = {}) =>
  makeBlobClient({ url: worker.url, storeId, key, ...options })
const body = (bytes: number): PackBody => {
  const plaintext = randomBytes(bytes)
  return { address: blobs.address(plaintext), body: plaintext }
}
const raw = (name: string, init: RequestInit = {}) =>
  fetch(`${worker.url}/libraries/${storeId}/blobs/${name}`, {
    ...init,
    headers: { authorization: `Bearer ${worker.token}` },
  })

async function downloadAll(entries: readonly PackIndexEntry[]): Promise<Map<string, Buffer>> {
  const bodies = new Map<string, Buffer>()
  for (const pack of new Set(entries.map((entry) => entry.packAddress))) {
    const decoded = await downloadPack(blobs, pack)
    expect(decoded.wrongContent).toEqual([])
    for (const [address, bytes] of decoded.bodies) bodies.set(address, bytes)
  }
  return bodies
}

describe('bodies in packs against the local Worker', () => {
  it('round-trips a few hundred bodies of mixed sizes, the large ones each in a pack of its own', async () => {
    const sizes = Array.from({ length: 300 }, (_, i) =>
      i % 50 === 7 ? 300_000 + i : 20 + ((i * 997) % 6000),
    )
    const items = sizes.map(body)
    const recorded: PackIndexEntry[][] = []
    const result = await uploadBodies(blobs, [...items, ...items.slice(0, 10)], {
      onStored: (group) => void recorded.push([...group]),
    })
    expect(result.refused).toEqual([])
    expect(result.entries.map((entry) => entry.bodyAddress)).toEqual(items.map((item) => item.address))
    expect(recorded.flat()).toEqual(result.entries)
    const packs = new Set(result.entries.map((entry) => entry.packAddress))
    expect(result.packsSent).toBe(packs.size)
    for (const item of items.filter((item) => item.body.length > PACK_TARGET_BYTES)) {
      const pack = result.entries.find((entry) => entry.bodyAddress === item.address)?.packAddress
      expect(result.entries.filter((entry) => entry.packAddress === pack)).toHaveLength(1)
    }
    const bodies = await downloadAll(result.entries)
    expect(bodies.size).toBe(items.length)
    for (const item of items) expect(bodies.get(item.address)?.equals(item.body)).toBe(true)
    // The index entry says where in the pack's plaintext each body is.
    const entry = result.entries[42] as PackIndexEntry
    const plaintext = await blobs.download(entry.packAddress)
    expect(
      plaintext.subarray(entry.offset, entry.offset + entry.length).equals(items[42]?.body as Buffer),
    ).toBe(true)
  })

  it('sends nothing again: no request for indexed bodies, only missing-checks when the index was lost', async () => {
    const items = Array.from({ length: 200 }, (_, i) => body(500 + i))
    const first = await uploadBodies(blobs, items, { targetBytes: 16 * 1024 })
    const counter = countingFetch()
    const counted = client({ fetch: counter.fetch })
    const indexed = await uploadBodies(counted, items, {
      stored: new Set(first.entries.map((entry) => entry.bodyAddress)),
    })
    expect([counter.sent, indexed.entries]).toEqual([[], []])
    // Without the index the same packs come out (canonical packing), and the worker already has every one.
    const again = await uploadBodies(counted, items, { targetBytes: 16 * 1024 })
    expect(again.entries).toEqual(first.entries)
    expect([counter.puts(), again.packsSent, again.packsAlreadyStored]).toEqual([0, 0, first.packsSent])
    expect(counter.sent.every((request) => request === 'POST missing')).toBe(true)
  })

  it('finishes a run cut short without sending any pack twice', async () => {
    const items = Array.from({ length: 400 }, (_, i) => body(900 + (i % 300)))
    const options = { targetBytes: 4 * 1024 }
    const index = new Set<string>()
    const cut = countingFetch(60)
    const failure = await uploadBodies(client({ fetch: cut.fetch }), items, {
      ...options,
      stored: index,
      onStored: (group) => group.forEach((entry) => index.add(entry.bodyAddress)),
    }).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(BlobError)
    expect((failure as BlobError).code).toBe('UNREACHABLE')
    expect(index.size).toBeGreaterThan(0)
    expect(index.size).toBeLessThan(items.length)
    const rest = countingFetch()
    const finished = await uploadBodies(client({ fetch: rest.fetch }), items, { ...options, stored: index })
    const packs = new Set(finished.entries.map((entry) => entry.packAddress))
    // Packs stored before the cut but not yet recorded are found by the missing-check, not sent again.
    expect(finished.packsSent).toBe(rest.puts())
    expect(finished.packsSent + finished.packsAlreadyStored).toBe(packs.size)
    expect(finished.packsAlreadyStored).toBeGreaterThan(0)
    for (const entry of finished.entries) index.add(entry.bodyAddress)
    expect(index.size).toBe(items.length)
  })

  it('refuses a tampered pack and removes it, so the bodies can be stored again', async () => {
    const items = Array.from({ length: 50 }, (_, i) => body(1000 + i))
    const index = (await uploadBodies(blobs, items)).entries
    const pack = (index[0] as PackIndexEntry).packAddress
    const altered = Buffer.from(await (await raw(pack)).arrayBuffer())
    altered[altered.length - 100] = (altered[altered.length - 100] as number) ^ 1
    expect((await raw(pack, { method: 'DELETE' })).status).toBe(204)
    expect((await raw(pack, { method: 'PUT', body: altered })).status).toBe(201)
    const refused = await downloadPack(blobs, pack).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(BlobError)
    expect((refused as BlobError).code).toBe('TAMPERED')
    expect(await blobs.missing([pack])).toEqual([pack])
    // A machine whose index says the bodies are stored rebuilds the pack from the index and its own bodies.
    const held = new Map(items.map((item) => [item.address, item.body]))
    const counter = countingFetch()
    const restored = await restorePacks(client({ fetch: counter.fetch }), index, (address) =>
      held.get(address),
    )
    expect([restored.restored, restored.incomplete, counter.puts()]).toEqual([[pack], [], 1])
    expect((await downloadPack(blobs, pack)).bodies.size).toBe(50)
    // Run again: the worker has it, nothing is sent.
    expect(
      await restorePacks(client({ fetch: counter.fetch }), index, (address) => held.get(address)),
    ).toEqual({
      restored: [],
      incomplete: [],
    })
    expect(counter.puts()).toBe(1)
  })

  it('leaves a missing pack it cannot rebuild whole: a body not here, or an index that lacks one of its entries', async () => {
    const items = Array.from({ length: 20 }, (_, i) => body(2000 + i))
    const index = (await uploadBodies(blobs, items)).entries
    const pack = (index[0] as PackIndexEntry).packAddress
    await blobs.remove(pack)
    const held = new Map(items.map((item) => [item.address, item.body]))
    const without = (address: string) => (address === items[7]?.address ? undefined : held.get(address))
    expect(await restorePacks(blobs, index, without)).toEqual({ restored: [], incomplete: [pack] })
    expect(await restorePacks(blobs, index.slice(1), (address) => held.get(address))).toEqual({
      restored: [],
      incomplete: [pack],
    })
    expect(await blobs.missing([pack])).toEqual([pack])
    expect((await restorePacks(blobs, index, (address) => held.get(address))).restored).toEqual([pack])
  })

  it('reports a body whose bytes are not its address’s inside an authentic pack, and hands on the others', async () => {
    const honest = [body(700), body(800)]
    const forged = { address: body(900).address, body: randomBytes(900) }
    const { plaintext } = encodePack([honest[0] as PackBody, forged, honest[1] as PackBody])
    const pack = blobs.address(plaintext)
    await blobs.upload(pack, plaintext)
    const decoded = await downloadPack(blobs, pack)
    expect(decoded.wrongContent).toEqual([forged.address])
    expect([...decoded.bodies.keys()]).toEqual(honest.map((item) => item.address))
    // And uploadBodies never packs a body under an address that is not its own.
    const result = await uploadBodies(blobs, [forged, body(10)])
    expect(result.refused.map((refusal) => [refusal.address, refusal.error.code])).toEqual([
      [forged.address, 'BAD_ADDRESS'],
    ])
    expect(result.entries).toHaveLength(1)
  })
})
