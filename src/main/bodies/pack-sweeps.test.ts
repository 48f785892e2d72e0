/**
 * What happens to bodies when something goes wrong or goes away, with two machines and the real sync Worker:
 * - bad input: a pack on the Worker replaced by garbage under its address (as a compromised Worker could) is
 *   refused by B, removed, stored again by A, and B then fetches every body whole;
 * - the Worker's blob routes unreachable from B (its blob store down): events still arrive, the bodies wait and
 *   the status says why, then arrive once the routes answer;
 * - a conversation purged: its pack, which holds an image too, is removed from the Worker once no message refers to
 *   its bodies or its image.
 */
import { describe, expect, it } from 'vitest'
import { randomBytes } from 'node:crypto'
import { dirname } from 'node:path'
import { imageStore } from '../images/image-store'
import type { MessageInput } from '../repository/writes'
import { until } from '../hub/test-support/until'
import { useScratch } from '../repository/test-support/scratch'
import { deriveSyncKeys } from '../sync/library-key'
import { useRelayMachines, type RelayMachine } from '../relay/test-support/relay-machines'
import { BODY_ELSEWHERE, BODY_FETCHED } from './body-locations'
import { CONVERSATION, importOn, PHRASE } from './test-support/imported-bodies'
import { pngOf } from './test-support/tiny-png'

const STORE_ID = 'library-pack-sweeps-test'
const scratch = useScratch()
const { machine, worker, key, claim } = useRelayMachines(scratch, STORE_ID)
/** Short timings, so a retry or a check happens within the test. */
const QUICK = { pollMs: 300, restoreCheckMs: 300, packRetryMs: 300, removalGraceMs: 0 }

const blobRequest = (name: string, init: RequestInit = {}, storeId = STORE_ID) =>
  fetch(`${worker().url}/libraries/${storeId}/blobs/${name}`, {
    ...init,
    headers: { authorization: `Bearer ${deriveSyncKeys(key, storeId).workerToken}` },
  })

const bodyStatesOf = async (m: RelayMachine) =>
  (
    await m.repository.db
      .selectFrom('messages')
      .select('body_state')
      .where('conversation_id', '=', CONVERSATION)
      .execute()
  ).map((row) => row.body_state)

const packsOf = async (m: RelayMachine) =>
  (await m.repository.db.selectFrom('body_locations').select('pack_address').distinct().execute()).map(
    (row) => row.pack_address,
  )

const found = async (m: RelayMachine) => {
  const answer = await m.repository.search(PHRASE)
  return answer.ok ? answer.value.hits.map((hit) => hit.messageId) : []
}

const imagePacksOf = (m: RelayMachine) =>
  m.repository.db.selectFrom('image_locations').select(['sha256', 'pack_address']).execute()

/** One more message of the conversation, whose content refers to an image kept in the machine's images/. */
function imageMessageOn(m: RelayMachine): { sha256: string; message: MessageInput } {
  const sha256 = imageStore(dirname(m.repository.file)).put(pngOf([10, 120, 200], 12)) ?? ''
  const message: MessageInput = {
    id: `${CONVERSATION}#image`,
    conversationId: CONVERSATION,
    ordinal: 6,
    role: 'user',
    createdAt: 1_700_000_000_006,
    text: 'And this screenshot? [image image/png]',
    content: [{ type: 'image', omitted: true, mediaType: 'image/png', bytes: 99, sha256 }],
  }
  return { sha256, message }
}

/** A's bodies stored and announced: the pack they are in. */
async function storedOnA(a: RelayMachine): Promise<string> {
  await until(
    async () => [(await a.runtime.bodies?.status())?.toStore, (await packsOf(a)).length],
    ([toStore, packs]) => toStore === 0 && packs === 1,
    20_000,
  )
  const [pack] = await packsOf(a)
  return pack ?? ''
}

describe('bodies when something goes wrong or goes away', () => {
  it('refuses a tampered pack, which A stores again, and B then has every body', async () => {
    const a = await machine(key, STORE_ID, { bodyTransfer: QUICK })
    await importOn(a.repository)
    const pack = await storedOnA(a)
    // Garbage under the pack's address, written with the library's own token.
    expect((await blobRequest(pack, { method: 'DELETE' })).status).toBe(204)
    const garbage = Buffer.concat([Buffer.from([1]), randomBytes(400)])
    expect((await blobRequest(pack, { method: 'PUT', body: garbage })).status).toBe(201)

    const problems: string[] = []
    const b = await machine(key, STORE_ID, {
      bodyTransfer: QUICK,
      log: (line) => void problems.push(line),
    })
    await until(
      () => found(b),
      (hits) => hits.length === 1,
      40_000,
    )
    expect(problems.some((line) => /could not be fetched: the blob failed authentication/i.test(line))).toBe(
      true,
    )
    expect(await bodyStatesOf(b)).toEqual(Array(6).fill(BODY_FETCHED))
    // What the Worker holds under the address now opens: it is A's pack again.
    const stored = await blobRequest(pack)
    expect(stored.status).toBe(200)
    expect(Buffer.from(await stored.arrayBuffer()).includes(garbage)).toBe(false)
  }, 90_000)

  it('lets events through while the blob routes are down, and brings the bodies once they answer', async () => {
    let blobsDown = true
    const cut: typeof fetch = (input, init) =>
      blobsDown
        ? Promise.reject(new TypeError('fetch failed: the blob store is down'))
        : fetch(input as Parameters<typeof fetch>[0], init)
    const a = await machine(key, STORE_ID, { bodyTransfer: QUICK })
    const b = await machine(key, STORE_ID, { bodyTransfer: { ...QUICK, fetch: cut } })
    await importOn(a.repository)
    await storedOnA(a)
    // The messages arrive with their previews; the bodies wait, and the status says why.
    await until(
      () => bodyStatesOf(b),
      (held) => held.length === 6,
      30_000,
    )
    const waiting = await until(
      async () => b.runtime.bodies?.status(),
      (status) => status?.problem !== null && status?.toFetch === 6,
    )
    expect(waiting?.problem).toMatch(/unreach|blob store is down/i)
    expect(await bodyStatesOf(b)).toEqual(Array(6).fill(BODY_ELSEWHERE))
    expect(await found(b)).toEqual([])

    blobsDown = false
    await until(
      () => found(b),
      (hits) => hits.length === 1,
      20_000,
    )
    expect(await b.runtime.bodies?.status()).toEqual({
      toFetch: 0,
      toStore: 0,
      imagesToFetch: 0,
      problem: null,
    })
  }, 90_000)

  it('removes the pack of a purged conversation, images and all, once no message refers to it', async () => {
    // No check for missing packs meanwhile: the grace period is what keeps a machine that has not yet applied the
    // purge from storing the bodies again, and it is cut to nothing here.
    const quiet = { ...QUICK, restoreCheckMs: 3_600_000 }
    // A library of its own: the other tests' events would locate the same messages in their packs too.
    const storeId = `${STORE_ID}-purge`
    await claim(storeId)
    const a = await machine(key, storeId, { bodyTransfer: quiet })
    const b = await machine(key, storeId, { bodyTransfer: quiet })
    const { sha256, message } = imageMessageOn(a)
    await importOn(a.repository, [message])
    const pack = await storedOnA(a)
    // The image went in the same pack as the bodies.
    expect(await imagePacksOf(a)).toEqual([{ sha256, pack_address: pack }])
    // B has every body, the one that refers to the image too, and located the image.
    await until(
      async () => [await bodyStatesOf(b), await imagePacksOf(b)] as const,
      ([held, images]) => held.length === 7 && held.every((m) => m === BODY_FETCHED) && images.length === 1,
      30_000,
    )
    expect((await blobRequest(pack, {}, storeId)).status).toBe(200)

    // Purged on B, as the user does from B's page (the bridge makes v1.ConversationPurged of it).
    await b.repository.write('ui', (_w, trx) =>
      trx.deleteFrom('conversations').where('id', '=', CONVERSATION).execute(),
    )
    // The purge goes from B's bridge through the worker to A's, and each machine's transfer then removes: under a
    // loaded test run that takes a while.
    await until(
      async () => (await blobRequest(pack, {}, storeId)).status,
      (status) => status === 404,
      60_000,
    )
    // Each machine let go of every location, and removed or saw removed what it queued.
    for (const m of [a, b]) {
      const left = async () => ({
        messages: (await bodyStatesOf(m)).length,
        toRemove: (await m.repository.db.selectFrom('packs_to_remove').selectAll().execute()).length,
      })
      await until(left, (now) => now.messages + now.toRemove === 0, 60_000)
      expect(await packsOf(m)).toEqual([])
      expect(await imagePacksOf(m)).toEqual([])
    }
  }, 180_000)
})
