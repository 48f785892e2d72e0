/**
 * The blob client against the real sync Worker in workerd (wrangler dev's simulated R2 bucket in a directory of
 * this test's own): round trips, the missing-check, uploads that skip what is there and never send an address
 * twice, and every refusal as the code a caller acts on: tampered, not found, wrong key, too large, unreachable,
 * a failing worker.
 */
import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { LibraryKey } from '../sync/library-key'
import { makeBlobClient, type BlobClientOptions } from './blob-client'
import { MAX_PLAINTEXT_BYTES } from './blob-crypto'
import { BlobError, type BlobErrorCode } from './blob-http'
import { useClaimedWorker } from './test-support/claimed-worker'

const storeId = 'library-blob-client'
const key = LibraryKey.generate()
const worker = useClaimedWorker(storeId, key)

/** A fetch that records each request the client makes and how many were in flight at most. */
function recordingFetch() {
  const sent: { method: string; name: string }[] = []
  let inFlight = 0
  let maxInFlight = 0
  const recording: typeof fetch = async (input, init) => {
    sent.push({ method: init?.method ?? 'GET', name: String(input).split('/').pop() ?? '' })
    maxInFlight = Math.max(maxInFlight, ++inFlight)
    try {
      return await fetch(input, init)
    } finally {
      inFlight--
    }
  }
  return {
    fetch: recording,
    sent,
    puts: () => sent.filter((r) => r.method === 'PUT'),
    max: () => maxInFlight,
  }
}

const client = (options: Partial<BlobClientOptions> = {}) =>
  makeBlobClient({ url: worker.url, storeId, key, ...options })
const text = (words: string) => Buffer.from(`${words} ${randomBytes(8).toString('hex')}`, 'utf8')

async function refusal(promise: Promise<unknown>): Promise<BlobError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(BlobError)
  return error as BlobError
}
const codeOf = async (promise: Promise<unknown>): Promise<BlobErrorCode> => (await refusal(promise)).code

describe('the blob client against the local Worker', () => {
  it('uploads and downloads bodies of 0 bytes to 1 MiB exactly, and the missing-check sees them arrive', async () => {
    const blobs = client()
    const bodies = [Buffer.alloc(0), text('a short reply'), randomBytes(70_000), randomBytes(1024 * 1024)]
    const addresses = bodies.map((body) => blobs.address(body))
    expect(await blobs.missing(addresses)).toEqual(addresses)
    for (const [i, body] of bodies.entries())
      expect(await blobs.upload(addresses[i] as string, body)).toBe('stored')
    expect(await blobs.missing(addresses)).toEqual([])
    for (const [i, body] of bodies.entries())
      expect((await blobs.download(addresses[i] as string)).equals(body)).toBe(true)
    // A second upload of the same body keeps the first and says so.
    expect(await blobs.upload(addresses[1] as string, bodies[1] as Buffer)).toBe('already-stored')
  })

  it('asks the missing-check in batches of 40, in the order given, each address once', async () => {
    const recorder = recordingFetch()
    const blobs = client({ fetch: recorder.fetch })
    const present = text('present')
    await blobs.upload(blobs.address(present), present)
    const absent = Array.from({ length: 99 }, () => randomBytes(32).toString('hex'))
    const asked = [...absent.slice(0, 50), blobs.address(present), ...absent.slice(50), absent[3] as string]
    recorder.sent.length = 0
    expect(await blobs.missing(asked)).toEqual(absent)
    expect(recorder.sent).toEqual(Array.from({ length: 3 }, () => ({ method: 'POST', name: 'missing' })))
  })

  it('uploadMany sends only what the Worker lacks, once per address, a bounded number at a time', async () => {
    const recorder = recordingFetch()
    const blobs = client({ fetch: recorder.fetch, concurrency: 3 })
    const bodies = Array.from({ length: 60 }, (_, i) => text(`body ${i}`))
    const items = bodies.map((plaintext) => ({ address: blobs.address(plaintext), plaintext }))
    for (const item of items.slice(0, 15)) await blobs.upload(item.address, item.plaintext)
    recorder.sent.length = 0
    // Each body twice in one call, as when the same message appears in two files.
    const first = await blobs.uploadMany([...items, ...items])
    expect(recorder.puts()).toHaveLength(45)
    expect(new Set(recorder.puts().map((put) => put.name)).size).toBe(45)
    expect(recorder.max()).toBeLessThanOrEqual(3)
    expect(first.uploaded).toHaveLength(45)
    expect(first.alreadyStored).toHaveLength(15)
    expect(first.refused).toEqual([])
    // Run again (as after a crash): nothing left to send.
    recorder.sent.length = 0
    const again = await blobs.uploadMany(items)
    expect([recorder.puts().length, again.uploaded.length, again.alreadyStored.length]).toEqual([0, 0, 60])
    for (const item of items.slice(40, 45))
      expect((await blobs.download(item.address)).equals(item.plaintext)).toBe(true)
  })

  it('refuses a tampered blob on download, and stores the body again once the bad blob is removed', async () => {
    const blobs = client()
    const body = text('the body a worker would like to change')
    const address = blobs.address(body)
    const other = text('another body')
    await blobs.upload(blobs.address(other), other)
    const raw = (name: string, init: RequestInit = {}) =>
      fetch(`${worker.url}/libraries/${storeId}/blobs/${name}`, {
        ...init,
        headers: { authorization: `Bearer ${worker.token}` },
      })
    // Garbage under the body's address, written with the library's own token, as a compromised worker could; it
    // starts with the format byte, as an altered blob of ours does.
    const garbage = Buffer.concat([Buffer.from([1]), randomBytes(300)])
    expect((await raw(address, { method: 'PUT', body: garbage })).status).toBe(201)
    const tampered = await refusal(blobs.download(address))
    expect([tampered.code, tampered.retryable]).toEqual(['TAMPERED', false])
    // Garbage of another first byte reads as another format: refused just the same, never retried.
    const unknown = randomBytes(32).toString('hex')
    expect(
      (await raw(unknown, { method: 'PUT', body: Buffer.concat([Buffer.from([7]), randomBytes(64)]) }))
        .status,
    ).toBe(201)
    const otherFormat = await refusal(blobs.download(unknown))
    expect([otherFormat.code, otherFormat.retryable]).toEqual(['UNKNOWN_VERSION', false])
    // A genuine blob moved to another address is refused too.
    const moved = Buffer.from(await (await raw(blobs.address(other))).arrayBuffer())
    const target = randomBytes(32).toString('hex')
    expect((await raw(target, { method: 'PUT', body: moved })).status).toBe(201)
    expect(await codeOf(blobs.download(target))).toBe('TAMPERED')
    // The Worker keeps the first upload of an address: the cure is to remove it and upload the body again.
    expect((await blobs.uploadMany([{ address, plaintext: body }])).uploaded).toEqual([])
    await blobs.remove(address)
    expect((await blobs.uploadMany([{ address, plaintext: body }])).uploaded).toEqual([address])
    expect((await blobs.download(address)).equals(body)).toBe(true)
  })

  it('removes a tampered blob when asked, so the body is stored again; never one of another format', async () => {
    const blobs = client()
    const body = text('a body a worker altered')
    const address = blobs.address(body)
    await blobs.upload(address, body)
    const raw = (init: RequestInit = {}, name = address) =>
      fetch(`${worker.url}/libraries/${storeId}/blobs/${name}`, {
        ...init,
        headers: { authorization: `Bearer ${worker.token}` },
      })
    const genuine = Buffer.from(await (await raw()).arrayBuffer())
    const altered = Buffer.from(genuine)
    altered[20] = (altered[20] as number) ^ 1
    expect((await raw({ method: 'DELETE' })).status).toBe(204)
    expect((await raw({ method: 'PUT', body: altered })).status).toBe(201)
    // Without the option the blob stays, and the missing-check keeps saying it is there.
    expect(await codeOf(blobs.download(address))).toBe('TAMPERED')
    expect(await blobs.missing([address])).toEqual([])
    expect(await codeOf(blobs.download(address, { removeTampered: true }))).toBe('TAMPERED')
    expect(await blobs.missing([address])).toEqual([address])
    expect((await blobs.uploadMany([{ address, plaintext: body }])).uploaded).toEqual([address])
    expect((await blobs.download(address, { removeTampered: true })).equals(body)).toBe(true)
    // A blob of another format may be a newer Chronicle's: refused, and left where it is.
    const newer = randomBytes(32).toString('hex')
    expect(
      (await raw({ method: 'PUT', body: Buffer.concat([Buffer.from([2]), genuine]) }, newer)).status,
    ).toBe(201)
    expect(await codeOf(blobs.download(newer, { removeTampered: true }))).toBe('UNKNOWN_VERSION')
    expect(await blobs.missing([newer])).toEqual([])
  })

  it('tells a blob not there (yet) from a key the Worker refuses and a library it does not know', async () => {
    const blobs = client()
    const notFound = await refusal(blobs.download(randomBytes(32).toString('hex')))
    expect([notFound.code, notFound.retryable, notFound.details.status]).toEqual(['NOT_FOUND', false, 404])
    const stranger = client({ key: LibraryKey.generate() })
    const body = text('written with the wrong key')
    for (const attempt of [
      () => stranger.download(blobs.address(body)),
      () => stranger.upload(stranger.address(body), body),
      () => stranger.missing([blobs.address(body)]),
      () => stranger.remove(blobs.address(body)),
    ]) {
      const error = await refusal(attempt())
      expect([error.code, error.retryable, error.details.workerError]).toEqual([
        'REFUSED',
        false,
        'wrong_token',
      ])
      expect(error.message).not.toContain(worker.token)
    }
    const unknown = await refusal(client({ storeId: 'library-never-claimed' }).missing([blobs.address(body)]))
    expect([unknown.code, unknown.details.workerError]).toEqual(['REFUSED', 'unknown_library'])
  })

  it('removes a blob: then it is missing and not found, and removing it again succeeds', async () => {
    const blobs = client()
    const body = text('to be purged')
    const address = blobs.address(body)
    await blobs.upload(address, body)
    await blobs.remove(address)
    await blobs.remove(address)
    expect(await blobs.missing([address])).toEqual([address])
    expect(await codeOf(blobs.download(address))).toBe('NOT_FOUND')
  })

  it('refuses before sending: a body over the limit, an address that is not the body’s, a malformed address', async () => {
    const recorder = recordingFetch()
    const blobs = client({ fetch: recorder.fetch })
    const huge = Buffer.alloc(MAX_PLAINTEXT_BYTES + 1)
    const tooLarge = await refusal(blobs.upload(blobs.address(huge), huge))
    expect(tooLarge.code).toBe('TOO_LARGE')
    expect(tooLarge.message).toMatch(/33554404 bytes; the sync worker keeps at most 33554403 bytes/)
    const body = text('an honest body')
    expect(await codeOf(blobs.upload(blobs.address(text('another')), body))).toBe('BAD_ADDRESS')
    expect(await codeOf(blobs.download('../../claim'))).toBe('BAD_ADDRESS')
    expect(await codeOf(blobs.missing(['A'.repeat(64)]))).toBe('BAD_ADDRESS')
    expect(recorder.sent).toEqual([])
    // In uploadMany the others go on without them.
    const result = await blobs.uploadMany([
      { address: blobs.address(huge), plaintext: huge },
      { address: blobs.address(body), plaintext: body },
      { address: 'nope', plaintext: body },
    ])
    expect(result.uploaded).toEqual([blobs.address(body)])
    expect(result.refused.map((r) => [r.address.slice(0, 4), r.error.code])).toEqual([
      [blobs.address(huge).slice(0, 4), 'TOO_LARGE'],
      ['nope', 'BAD_ADDRESS'],
    ])
    expect(recorder.puts()).toHaveLength(1)
  })

  it('says retryable for a worker that cannot be reached or fails, and uploadMany stops at once', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`
    await new Promise((resolve) => closed.close(resolve))
    const body = text('waits for the worker')
    const offline = client({ url: closedUrl })
    const unreachable = await refusal(offline.download(offline.address(body)))
    expect([unreachable.code, unreachable.retryable]).toEqual(['UNREACHABLE', true])
    expect(unreachable.message).toMatch(/ECONNREFUSED/)

    let requests = 0
    const failing: Server = createServer((request, response) => {
      requests++
      request.resume()
      response.writeHead(503, { 'content-type': 'text/html' }).end('<h1>Service Unavailable</h1>')
    })
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve))
    try {
      const down = client({ url: `http://127.0.0.1:${(failing.address() as AddressInfo).port}` })
      const failed = await refusal(down.upload(down.address(body), body))
      expect([failed.code, failed.retryable, failed.details.status]).toEqual(['SERVER_ERROR', true, 503])
      requests = 0
      const many = Array.from({ length: 200 }, (_, i) => text(`b${i}`)).map((plaintext) => ({
        address: down.address(plaintext),
        plaintext,
      }))
      expect(await codeOf(down.uploadMany(many))).toBe('SERVER_ERROR')
      // Five missing-checks (200 / 40) at most 4 at once: the first failure stops the fifth.
      expect(requests).toBeLessThanOrEqual(4)
    } finally {
      await new Promise((resolve) => failing.close(resolve))
    }
  })
})
