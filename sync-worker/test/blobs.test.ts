/**
 * The blob routes in real workerd, with wrangler dev's simulated R2 bucket under the test's persist directory:
 * bytes round-trip exactly, a second upload of a name keeps the first, the missing-set answer, delete, the size limit
 * declared and streamed, bad names, tokens (none, wrong, another library's), no listing, and blobs that survive a
 * restart of the Worker on the same directory.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_BLOB_BYTES, MAX_MISSING_NAMES } from '../src/limits'
import { startLocalWorker, type LocalWorker } from './local-worker'

const TOKEN = 'chronicle-blob-token-6c1d8e2f4a5b7c9d0e1f2a3b4c5d6e7f'
const OTHER_TOKEN = 'chronicle-blob-other-token-9e8d7c6b5a4f3e2d1c0b9a8f'
const STORE_ID = 'library-blobs'
const OTHER_STORE_ID = 'library-other'

const persistTo = mkdtempSync(join(tmpdir(), 'chronicle-blobs-'))
let worker: LocalWorker

const bearer = (token = TOKEN) => ({ authorization: `Bearer ${token}` })
const blobUrl = (name: string, storeId = STORE_ID) => `${worker.url}/libraries/${storeId}/blobs/${name}`
const newName = () => randomBytes(32).toString('hex')
const put = (name: string, body: RequestInit['body'], headers: Record<string, string> = bearer()) =>
  fetch(blobUrl(name), { method: 'PUT', body, headers, duplex: 'half' } as RequestInit)
const get = (name: string, headers: Record<string, string> = bearer(), storeId = STORE_ID) =>
  fetch(blobUrl(name, storeId), { headers })
const askMissing = (names: unknown, headers: Record<string, string> = bearer()) =>
  fetch(blobUrl('missing'), { method: 'POST', body: JSON.stringify(names), headers })

beforeAll(async () => {
  worker = await startLocalWorker(persistTo)
  for (const [storeId, token] of [
    [STORE_ID, TOKEN],
    [OTHER_STORE_ID, OTHER_TOKEN],
  ] as const) {
    const claimed = await fetch(`${worker.url}/libraries/${storeId}/claim`, {
      method: 'POST',
      headers: bearer(token),
    })
    expect(claimed.status).toBe(201)
  }
}, 60_000)
afterAll(async () => {
  await worker.dispose()
  rmSync(persistTo, { recursive: true, force: true })
})

async function expectError(response: Response, status: number, error: string): Promise<string> {
  const body = (await response.json()) as { error: string; message: string }
  expect({ status: response.status, error: body.error }).toEqual({ status, error })
  expect(body.message).not.toContain(TOKEN)
  return body.message
}

/** `bytes` sent as a stream of 64 KiB chunks: fetch then sends no Content-Length (chunked). */
function streamed(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let at = 0
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.byteLength) return controller.close()
      controller.enqueue(bytes.subarray(at, at + 65_536))
      at += 65_536
    },
  })
}

describe('the blob routes', () => {
  const kept = { name: newName(), bytes: new Uint8Array(randomBytes(1024 * 1024)) }

  it('stores 1 MiB of random bytes (201) and gives the same bytes back (200)', async () => {
    const stored = await put(kept.name, kept.bytes)
    expect([stored.status, await stored.json()]).toEqual([201, { stored: true }])
    const answer = await get(kept.name)
    expect(answer.status).toBe(200)
    expect(answer.headers.get('content-type')).toBe('application/octet-stream')
    expect(Buffer.from(await answer.arrayBuffer()).equals(Buffer.from(kept.bytes))).toBe(true)
  })

  it('keeps the first upload of a name: a second PUT answers 200 and rewrites nothing', async () => {
    const again = await put(kept.name, new Uint8Array(randomBytes(1000)))
    expect([again.status, await again.json()]).toEqual([200, { stored: false }])
    const answer = await get(kept.name)
    expect(Buffer.from(await answer.arrayBuffer()).equals(Buffer.from(kept.bytes))).toBe(true)
  })

  it('stores a body streamed without Content-Length, and an empty one', async () => {
    const bytes = new Uint8Array(randomBytes(300_000))
    const name = newName()
    expect((await put(name, streamed(bytes))).status).toBe(201)
    expect(Buffer.from(await (await get(name)).arrayBuffer()).equals(Buffer.from(bytes))).toBe(true)
    const empty = newName()
    expect((await put(empty, new Uint8Array(0))).status).toBe(201)
    expect((await (await get(empty)).arrayBuffer()).byteLength).toBe(0)
  })

  it('answers 404 unknown_blob for a name nothing is stored under', async () => {
    await expectError(await get(newName()), 404, 'unknown_blob')
  })

  it('answers which of a batch of names are not stored, in the order asked', async () => {
    const absent = [newName(), newName()]
    const answer = await askMissing([absent[0], kept.name, absent[1], absent[0]])
    expect([answer.status, await answer.json()]).toEqual([200, { missing: absent }])
    const full = Array.from({ length: MAX_MISSING_NAMES }, newName)
    expect(((await (await askMissing(full)).json()) as { missing: string[] }).missing).toHaveLength(
      MAX_MISSING_NAMES,
    )
    await expectError(await askMissing([...full, newName()]), 400, 'bad_blob_list')
    for (const bad of [{ names: [] }, [kept.name.toUpperCase()], [42], 'not json'])
      await expectError(await askMissing(bad), 400, 'bad_blob_list')
  })

  it('deletes a blob (204), and answers 204 again when it is already gone', async () => {
    const name = newName()
    expect((await put(name, new Uint8Array([1, 2, 3]))).status).toBe(201)
    for (let i = 0; i < 2; i++) {
      const deleted = await fetch(blobUrl(name), { method: 'DELETE', headers: bearer() })
      expect(deleted.status).toBe(204)
    }
    await expectError(await get(name), 404, 'unknown_blob')
    expect((await put(name, new Uint8Array([4]))).status).toBe(201)
  })

  it(`refuses a blob of ${MAX_BLOB_BYTES} + 1 bytes, declared or streamed (413), and takes one at the limit`, async () => {
    const over = new Uint8Array(MAX_BLOB_BYTES + 1)
    const name = newName()
    await expectError(await put(name, over), 413, 'body_too_large')
    await expectError(await put(name, streamed(over)), 413, 'body_too_large')
    await expectError(await get(name), 404, 'unknown_blob')
    expect((await put(name, streamed(over.subarray(1)))).status).toBe(201)
    expect((await (await get(name)).arrayBuffer()).byteLength).toBe(MAX_BLOB_BYTES)
  })

  it('refuses a bad name with the rule and without repeating it (400)', async () => {
    for (const bad of ['a'.repeat(63), 'A'.repeat(64), `${'a'.repeat(64)}0`, '..%2Fx', `${'z'.repeat(64)}`]) {
      const message = await expectError(await get(bad), 400, 'bad_blob_name')
      expect(message).toContain('64 lowercase hexadecimal')
      expect(message).not.toContain(bad)
    }
    // fetch resolves a literal "../x" before sending: the path leaves /blobs/ and is an unknown route.
    await expectError(await get('../x'), 404, 'not_found')
    await expectError(await get(kept.name, bearer(), 'bad.store!id'), 400, 'bad_store_id')
  })

  it('refuses requests without the library token (401) and a library nobody claimed (404)', async () => {
    await expectError(await get(kept.name, {}), 401, 'missing_token')
    await expectError(await get(kept.name, { authorization: `Basic ${TOKEN}` }), 401, 'malformed_token')
    await expectError(await get(kept.name, bearer(OTHER_TOKEN)), 401, 'wrong_token')
    await expectError(await put(newName(), new Uint8Array(10), {}), 401, 'missing_token')
    await expectError(await put(newName(), new Uint8Array(10), bearer(OTHER_TOKEN)), 401, 'wrong_token')
    await expectError(await askMissing([kept.name], bearer(OTHER_TOKEN)), 401, 'wrong_token')
    const deleted = await fetch(blobUrl(kept.name), { method: 'DELETE', headers: bearer(OTHER_TOKEN) })
    await expectError(deleted, 401, 'wrong_token')
    await expectError(await get(kept.name, bearer(), 'library-nobody-claimed'), 404, 'unknown_library')
    expect((await get(kept.name)).status).toBe(200) // the refused DELETE removed nothing
  })

  it("keeps libraries apart: another library's token reads nothing of this one", async () => {
    // With its own storeId it asks its own library, which has no blob by that name.
    await expectError(await get(kept.name, bearer(OTHER_TOKEN), OTHER_STORE_ID), 404, 'unknown_blob')
    const answer = await fetch(blobUrl('missing', OTHER_STORE_ID), {
      method: 'POST',
      body: JSON.stringify([kept.name]),
      headers: bearer(OTHER_TOKEN),
    })
    expect(await answer.json()).toEqual({ missing: [kept.name] })
  })

  it('lists nothing: /blobs, /blobs/ and any deeper path are 404, and a wrong method is 405', async () => {
    for (const path of ['blobs', 'blobs/', `blobs/${kept.name}/x`, 'blobs/missing/'])
      await expectError(
        await fetch(`${worker.url}/libraries/${STORE_ID}/${path}`, { headers: bearer() }),
        404,
        'not_found',
      )
    await expectError(await fetch(blobUrl('missing'), { headers: bearer() }), 405, 'method_not_allowed')
    await expectError(
      await fetch(blobUrl(kept.name), { method: 'POST', headers: bearer() }),
      405,
      'method_not_allowed',
    )
  })

  it('keeps its blobs on disk under the persist directory, across a restart of the Worker', async () => {
    const port = Number(new URL(worker.url).port)
    await worker.dispose()
    // wrangler dev keeps the simulated bucket as files there, on this machine: the 1 MiB blob is one of them.
    const r2 = join(persistTo, 'v3', 'r2')
    const files = readdirSync(r2, { recursive: true, encoding: 'utf8' }).map((file) => join(r2, file))
    expect(
      files.some((file) => statSync(file).isFile() && readFileSync(file).equals(Buffer.from(kept.bytes))),
    ).toBe(true)
    worker = await startLocalWorker(persistTo, port)
    const answer = await get(kept.name)
    expect(answer.status).toBe(200)
    expect(Buffer.from(await answer.arrayBuffer()).equals(Buffer.from(kept.bytes))).toBe(true)
    expect(await (await askMissing([kept.name])).json()).toEqual({ missing: [] })
  }, 60_000)
})
