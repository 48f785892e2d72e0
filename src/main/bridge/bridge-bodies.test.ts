/**
 * Message bodies stay on the device that imported them; other devices' events carry previews. When both devices
 * imported the same session (a ~/.claude synced by another tool), applying the other's events must not replace
 * this repository's bodies with those previews, while a row that only ever held a preview follows the events.
 */
import { describe, expect, it } from 'vitest'
import { PREVIEW_CHARS } from '../../shared/livestore/events'
import { fromSearchText } from '../../shared/search/search-text'
import type { Repository } from '../repository/repository'
import { useScratch } from '../repository/test-support/scratch'
import type { MessageInput } from '../repository/writes'
import { applyEvents } from './apply-events'
import { readChangeBatch } from './change-batch'
import type { ConfirmedEvent } from './confirmed-events'
import { eventsFromChanges } from './events-from-changes'

const scratch = useScratch()
const prices = { date: '2026-12-01', source: 'test', priceFor: () => null }
const CONVERSATION = 'claude-code:s'

const body = (ordinal: number, edit = '') =>
  `Line ${ordinal}${edit}: ` + 'a body far longer than any preview keeps, '.repeat(10)
const line = (ordinal: number, edit = ''): MessageInput => ({
  id: `${CONVERSATION}#${ordinal}`,
  conversationId: CONVERSATION,
  ordinal,
  role: 'user',
  createdAt: 1_700_000_000_000 + ordinal,
  text: body(ordinal, edit),
})

async function imported(repository: Repository, messages: readonly MessageInput[]) {
  await repository.write('import', async (w) => {
    await w.upsertConversations([
      { id: CONVERSATION, source: 'claude-code', sourceId: 's', title: 'S', createdAt: 1_700_000_000_000 },
    ])
    await w.upsertMessages(messages)
  })
}

/** What a device's bridge makes of its repository's changes, confirmed as the hub hands them to others. */
async function eventsOf(repository: Repository, deviceId: string, after = 0): Promise<ConfirmedEvent[]> {
  const batch = await readChangeBatch(repository.db, after, 10_000)
  if (!batch) throw new Error('no changes')
  const made = await eventsFromChanges(repository.db, batch, deviceId, () => 5_000)
  return made.map((e, i) => ({ seqNum: i + 1, name: e.name, args: e.args }) as ConfirmedEvent)
}

const apply = (repository: Repository, events: readonly ConfirmedEvent[]) =>
  repository.write('bridge', (_w, trx) =>
    applyEvents(trx, events, { deviceId: 'device-b', bridgedSeq: Number.MAX_SAFE_INTEGER, prices }),
  )

const texts = async (repository: Repository) =>
  (await repository.db.selectFrom('messages').select(['id', 'text']).orderBy('ordinal').execute()).map((m) =>
    fromSearchText(m.text),
  )

describe("another device's message events on this device's bodies", () => {
  it('keep the bodies of a session this device imported too, whether its events come first or last', async () => {
    const a = scratch.open()
    await imported(a, [line(0), line(1)])
    const fromA = await eventsOf(a, 'device-a')

    // B imported the same session before A's events arrived (offline): A's appends find B's bodies.
    const b = scratch.open()
    await imported(b, [line(0), line(1)])
    await apply(b, fromA)
    expect(await texts(b)).toEqual([body(0), body(1)])

    // C had A's events first (previews), then imported the session itself: bodies; A's events again change nothing.
    const c = scratch.open()
    await apply(c, fromA)
    expect((await texts(c)).every((t) => t.length <= PREVIEW_CHARS)).toBe(true)
    await imported(c, [line(0), line(1)])
    await apply(c, fromA)
    expect(await texts(c)).toEqual([body(0), body(1)])
  })

  it('still bring a preview row up to date when the other device changed the message', async () => {
    const a = scratch.open()
    await imported(a, [line(0)])
    const b = scratch.open()
    await apply(b, await eventsOf(a, 'device-a'))
    const head = await a.db
      .selectFrom('changes')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirstOrThrow()
    await imported(a, [line(0, ' edited')])
    await apply(b, await eventsOf(a, 'device-a', head.seq ?? 0))
    const [text] = await texts(b)
    expect(text).toContain('Line 0 edited')
    expect(text?.length).toBeLessThanOrEqual(PREVIEW_CHARS)
  })
})
