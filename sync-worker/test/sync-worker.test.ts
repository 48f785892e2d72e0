/**
 * The sync Worker in real workerd (wrangler's own dev runtime): a library is claimed with a token, two LiveStore
 * Node clients exchange events through it presenting that token, and every malformed or unauthorised request is
 * refused with its status while the good clients keep syncing. The token must not reach the Worker's storage.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { until } from '../../src/main/hub/test-support/until'
import { MAX_BODY_BYTES } from '../src/limits'
import { authorisedWebSocket, tryUpgrade } from './authorised-websocket'
import { startLocalWorker, workerdDescendants, type LocalWorker } from './local-worker'
import { openNoteStore, type NoteStore } from './note-store'

const TOKEN = 'chronicle-test-token-7f3a9c1e5b2d4f6a8c0e2b4d6f8a0c2e'
const OTHER_TOKEN = 'chronicle-other-token-0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e'
const STORE_ID = 'library-test-1'

const scratch = mkdtempSync(join(tmpdir(), 'chronicle-sync-worker-'))
const persistTo = join(scratch, 'worker')
const savedWebSocket = (globalThis as { WebSocket?: unknown }).WebSocket
let worker: LocalWorker | undefined
let workerds: number[] = []
const stores: NoteStore[] = []

const url = () => worker!.url
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const claim = (storeId: string, headers: Record<string, string>, init: RequestInit = {}) =>
  fetch(`${url()}/libraries/${storeId}/claim`, { method: 'POST', headers, ...init })
const syncUrl = (storeId: string) => `${url().replace(/^http/, 'ws')}/sync?storeId=${storeId}&transport=ws`

beforeAll(async () => {
  worker = await startLocalWorker(persistTo)
  workerds = workerdDescendants()
  ;(globalThis as { WebSocket?: unknown }).WebSocket = authorisedWebSocket(TOKEN)
})

afterAll(async () => {
  for (const store of stores.splice(0)) await store.shutdown()
  await worker?.dispose()
  ;(globalThis as { WebSocket?: unknown }).WebSocket = savedWebSocket
  rmSync(scratch, { recursive: true, force: true })
})

async function noteStore(clientId: string): Promise<NoteStore> {
  const store = await openNoteStore({
    syncUrl: `${url()}/sync`,
    storeId: STORE_ID,
    clientId,
    directory: join(scratch, clientId),
  })
  stores.push(store)
  return store
}

async function expectError(response: Response, status: number, error: string): Promise<void> {
  const body = (await response.json()) as { error: string; message: string }
  expect({ status: response.status, error: body.error }).toEqual({ status, error })
  expect(body.message).not.toContain(TOKEN)
}

describe('the sync Worker', () => {
  let a: NoteStore
  let b: NoteStore

  it('lets the first token claim a library, and the same token claim it again', async () => {
    expect(workerds.length).toBeGreaterThan(0)
    const first = await claim(STORE_ID, bearer(TOKEN))
    expect([first.status, await first.json()]).toEqual([201, { storeId: STORE_ID, claimed: true }])
    const again = await claim(STORE_ID, bearer(TOKEN))
    expect([again.status, await again.json()]).toEqual([200, { storeId: STORE_ID, claimed: false }])
  })

  it('carries an event from one LiveStore client to another', async () => {
    a = await noteStore('machine-a')
    b = await noteStore('machine-b')
    a.write('n1', 'written on A')
    await until(
      () => b.texts(),
      (texts) => texts.includes('written on A'),
    )
    b.write('n2', 'written on B')
    await until(
      () => a.texts(),
      (texts) => texts.length === 2,
    )
  })

  it('refuses a second claim with another token (409)', async () => {
    await expectError(await claim(STORE_ID, bearer(OTHER_TOKEN)), 409, 'already_claimed')
  })

  it('refuses an upgrade without an Authorization header (401)', async () => {
    expect(await tryUpgrade(syncUrl(STORE_ID), {})).toMatchObject({
      status: 401,
      body: { error: 'missing_token' },
    })
  })

  it('refuses an upgrade with the wrong token (401)', async () => {
    expect(await tryUpgrade(syncUrl(STORE_ID), bearer(OTHER_TOKEN))).toMatchObject({
      status: 401,
      body: { error: 'wrong_token' },
    })
  })

  it('refuses an upgrade with a malformed Authorization header (401)', async () => {
    const answer = await tryUpgrade(syncUrl(STORE_ID), { authorization: `Basic ${TOKEN}` })
    expect(answer).toMatchObject({ status: 401, body: { error: 'malformed_token' } })
    expect(JSON.stringify(answer.body)).not.toContain(TOKEN)
  })

  it('refuses an upgrade to a library nobody claimed (401)', async () => {
    expect(await tryUpgrade(syncUrl('library-nobody-claimed'), bearer(TOKEN))).toMatchObject({
      status: 401,
      body: { error: 'unclaimed_library' },
    })
  })

  it('refuses a malformed storeId, in the claim path and in the sync URL (400)', async () => {
    await expectError(await claim('bad.store!id', bearer(TOKEN)), 400, 'bad_store_id')
    await expectError(await claim('x'.repeat(129), bearer(TOKEN)), 400, 'bad_store_id')
    expect(await tryUpgrade(syncUrl('..%2Fescape'), bearer(TOKEN))).toMatchObject({
      status: 400,
      body: { error: 'bad_store_id' },
    })
  })

  it(`refuses a body over ${MAX_BODY_BYTES} bytes, declared or streamed (413)`, async () => {
    const big = 'x'.repeat(MAX_BODY_BYTES + 1)
    await expectError(await claim(STORE_ID, bearer(TOKEN), { body: big }), 413, 'body_too_large')
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(new TextEncoder().encode(big.slice(0, 512)))
        controller.close()
      },
    })
    const streamed = await claim(STORE_ID, bearer(TOKEN), { body: stream, duplex: 'half' } as RequestInit)
    await expectError(streamed, 413, 'body_too_large')
  })

  it('refuses the HTTP transport at /sync: only the authorised WebSocket is served (400)', async () => {
    const httpTransport = `${url().replace(/^http/, 'ws')}/sync?storeId=${STORE_ID}&transport=http`
    expect(await tryUpgrade(httpTransport, bearer(TOKEN))).toMatchObject({
      status: 400,
      body: { error: 'bad_sync_request' },
    })
  })

  it('answers unknown routes with 404 and lists nothing', async () => {
    for (const path of ['/', '/libraries', `/libraries/${STORE_ID}`, '/sync/extra', '/websocket']) {
      await expectError(await fetch(`${url()}${path}`, { headers: bearer(TOKEN) }), 404, 'not_found')
    }
    await expectError(await fetch(`${url()}/libraries/${STORE_ID}/claim`), 405, 'method_not_allowed')
    await expectError(await fetch(`${url()}/sync?storeId=${STORE_ID}&transport=ws`), 426, 'upgrade_required')
  })

  it('keeps serving the good clients after all those refusals', async () => {
    a.write('n3', 'after the refusals')
    await until(
      () => b.texts(),
      (texts) => texts.includes('after the refusals'),
    )
  })

  it('leaves the token out of its storage, and no workerd behind once stopped', async () => {
    for (const store of stores.splice(0)) await store.shutdown()
    await worker!.dispose()
    worker = undefined
    const files = filesUnder(persistTo)
    expect(files.some((file) => file.endsWith('.sqlite'))).toBe(true)
    const stored = Buffer.concat(files.map((file) => readFileSync(file)))
    expect(stored.includes('written on A')).toBe(true) // the grep can find what is there
    for (const secret of [TOKEN, OTHER_TOKEN]) expect(stored.includes(secret)).toBe(false)
    expect(workerds.filter((pid) => workerdDescendants().includes(pid))).toEqual([])
    expect(workerdDescendants()).toEqual([])
  })
})

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .map((entry) => join(directory, entry))
    .filter((path) => statSync(path).isFile())
}
