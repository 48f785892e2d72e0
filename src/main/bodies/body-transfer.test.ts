/**
 * Message bodies between two machines of one library, through the real sync Worker in workerd (its R2 bucket
 * simulated by wrangler): what A imports, B can read and search whole; nothing B fetched is announced again; a
 * body B imported itself is not fetched; and the Worker's files hold none of the text.
 */
import { describe, expect, it } from 'vitest'
import { fromSearchText } from '../../shared/search/search-text'
import { until } from '../hub/test-support/until'
import { useScratch } from '../repository/test-support/scratch'
import { useRelayMachines, type RelayMachine } from '../relay/test-support/relay-machines'
import { workerFiles } from '../relay/test-support/worker-files'
import { BODY_FETCHED } from './body-locations'
import { CONVERSATION, importOn, MESSAGES, PHRASE } from './test-support/imported-bodies'

const scratch = useScratch()
const { machine, persistTo } = useRelayMachines(scratch, 'library-bodies-test')

const rows = (m: RelayMachine) =>
  m.repository.db
    .selectFrom('messages')
    .select(['id', 'text', 'content', 'metadata', 'body_state'])
    .where('conversation_id', '=', CONVERSATION)
    .orderBy('ordinal')
    .execute()

const hitsFor = async (m: RelayMachine, query: string) => {
  const answer = await m.repository.search(query)
  return answer.ok ? answer.value.hits.map((hit) => hit.messageId) : []
}

/** Who made each v1.BodiesPacked in the machine's eventlog. */
const announcers = async (m: RelayMachine) =>
  (await m.runtime.hub.eventlog.read(0, 100_000))
    .filter((event) => event.name === 'v1.BodiesPacked')
    .map((event) => (event.args as { deviceId: string }).deviceId)

const queued = async (m: RelayMachine) =>
  (await m.repository.db.selectFrom('bodies_to_store').select('message_id').execute()).length

describe('message bodies between machines', () => {
  it('lets B read and search whole what A imported, announced once, with ciphertext only on the Worker', async () => {
    const a = await machine()
    const b = await machine()
    await importOn(a.repository)

    // B finds the phrase only once the body is here: no preview reaches it.
    await until(
      () => hitsFor(b, PHRASE),
      (hits) => hits.length === 1,
      40_000,
    )
    expect(await hitsFor(b, PHRASE)).toEqual([`${CONVERSATION}#3`])
    const onA = await rows(a)
    await until(
      () => rows(b),
      (held) => held.every((row) => row.body_state === BODY_FETCHED),
      20_000,
    )
    const onB = await rows(b)
    // The whole row as A wrote it, the model's metadata included.
    expect(onB.map(({ id, text, content, metadata }) => ({ id, text, content, metadata }))).toEqual(
      onA.map(({ id, text, content, metadata }) => ({ id, text, content, metadata })),
    )
    expect(JSON.parse(onB[1]!.metadata)).toEqual({ model: 'claude-opus-4-1', stopReason: 'end_turn' })
    expect(fromSearchText(onB[3]!.text)).toContain(PHRASE)
    expect(JSON.parse(onB[1]!.content ?? 'null')).toEqual(MESSAGES[1]!.content)

    // A stored its six bodies and said so; B announced nothing of what it fetched, and queued nothing to store.
    expect(await queued(a)).toBe(0)
    expect(await queued(b)).toBe(0)
    await until(
      () => announcers(b),
      (ids) => ids.length > 0,
    )
    expect(new Set(await announcers(b))).toEqual(new Set([a.runtime.device.id]))
    expect(await b.runtime.bodies?.status()).toEqual({
      toFetch: 0,
      toStore: 0,
      imagesToFetch: 0,
      problem: null,
    })
    // Nor did B's bridge make events of the bodies it wrote: B's device made no message event.
    const fromB = (await b.runtime.hub.eventlog.read(0, 100_000)).filter(
      (event) =>
        event.name.startsWith('v1.Messages') &&
        (event.args as { deviceId: string }).deviceId === b.runtime.device.id,
    )
    expect(fromB).toEqual([])

    const files = workerFiles(persistTo)
    expect(files.length).toBeGreaterThan(0)
    expect(files.filter((bytes) => bytes.includes(PHRASE)).length).toBe(0)
    expect(files.filter((bytes) => bytes.includes('compiler output')).length).toBe(0)
  }, 90_000)

  it('fetches nothing for a body B imported itself', async () => {
    const a = await machine()
    const b = await machine()
    await importOn(b.repository)
    await importOn(a.repository)
    await until(
      async () => [await queued(a), await queued(b), (await announcers(b)).length],
      ([ofA, ofB, announced]) => ofA === 0 && ofB === 0 && (announced ?? 0) >= 2,
      40_000,
    )
    const held = await rows(b)
    expect(held.map((row) => row.body_state)).toEqual(Array(6).fill(null))
    expect(await hitsFor(b, PHRASE)).toEqual([`${CONVERSATION}#3`])
  }, 90_000)
})
