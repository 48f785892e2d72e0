/**
 * The bridge runs when something changed, not on a fast clock: with a real repository file, the real hub and the
 * main LiveStore store, a started bridge left alone reads nothing; a device's edit pushed to the hub still reaches
 * SQL at once (another process's write: bridge.test.ts); and a drain asked for while one runs covers what was
 * written after that one read the change feed.
 */
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { events, tables } from '../../shared/livestore/schema'
import type { ChronicleStore } from '../livestore/chronicle-store'
import { importSources } from '../import/import-engine'
import { rooCodeAdapter } from '../import/sources/roo-cline'
import { samplesDir } from '../import/test-support/samples'
import { until } from '../hub/test-support/until'
import { useScratch } from '../repository/test-support/scratch'
import type { ConfirmedEvents } from './confirmed-events'
import { useBridgedLibrary } from './test-support/bridged-library'

const scratch = useScratch()
const { openBridge } = useBridgedLibrary(scratch)

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The hub's confirmed events, counting reads (every drain reads them at least once) and notifications. */
function counted(inner: ConfirmedEvents, gate?: () => Promise<void>) {
  const counts = { reads: 0, notified: 0 }
  const confirmed: ConfirmedEvents = {
    async read(cursor, limit) {
      counts.reads += 1
      await gate?.()
      return inner.read(cursor, limit)
    },
    onConfirmed: (listener) =>
      inner.onConfirmed(() => {
        counts.notified += 1
        listener()
      }),
  }
  return { counts, confirmed }
}

async function setUp(gate?: () => Promise<void>) {
  let counts = { reads: 0, notified: 0 }
  const opened = await openBridge({
    confirmed: (events) => {
      const wrapped = counted(events, gate)
      counts = wrapped.counts
      return wrapped.confirmed
    },
  })
  await importSources(opened.repo, [{ path: samplesDir('roo-code'), adapter: rooCodeAdapter }])
  const [first] = await opened.repo.db
    .selectFrom('conversations')
    .select('id')
    .orderBy('id')
    .limit(1)
    .execute()
  return { ...opened, counts, id: first!.id }
}

const titleIn = (store: ChronicleStore, id: string) =>
  store.store.query(tables.conversations.where({ id }).first())?.title

describe('bridge wake-ups', () => {
  it('started with its default poll, reads nothing while nothing changes (bad input: a second of idling)', async () => {
    const { counts, bridge } = await setUp()
    bridge.start()
    await until(
      () => bridge.backlog(),
      (backlog) => backlog === 0,
    )
    // The drain that caught up, and the wake-ups its own writes (events appended to the hub) caused, are over.
    await bridge.drain()
    await sleep(200)
    const before = counts.reads
    await sleep(1_000)
    // A poll every 50 ms read 20 times in that second.
    expect(counts.reads - before).toBe(0)
  })

  it("applies a device's edit to SQL when the hub accepts it, with a poll an hour apart", async () => {
    const { repo, counts, id, bridge, connectDevice } = await setUp()
    bridge.start(3_600_000)
    await until(
      () => bridge.backlog(),
      (backlog) => backlog === 0,
    )
    const device = await connectDevice()
    const notified = counts.notified
    await device.commit([
      events.conversationRenamed({
        at: 2_000,
        deviceId: 'device-2',
        actor: 'user',
        origin: 'ui',
        conversationId: id,
        title: 'Renamed on the laptop',
      }),
    ])
    await until(
      async () =>
        (await repo.db.selectFrom('conversations').select('title').where('id', '=', id).executeTakeFirst())
          ?.title,
      (title) => title === 'Renamed on the laptop',
      10_000,
    )
    // The hub told the bridge (its file events may have too).
    expect(counts.notified).toBeGreaterThan(notified)
  })

  it('a drain asked for during another covers a write made after that one read the feed', async () => {
    let held: { reached: () => void; hold: Promise<void> } | null = null
    const { repo, main, id, bridge } = await setUp(async () => {
      const h = held
      held = null
      if (h) {
        h.reached()
        await h.hold
      }
    })
    await bridge.drain()
    let release = () => undefined as void
    const reached = new Promise<void>((resolve) => {
      held = { reached: resolve, hold: new Promise<void>((r) => (release = r)) }
    })
    const first = bridge.drain()
    // The first drain has read the feed and made its events; it waits in the LiveStore→SQL half.
    await reached
    await sql`UPDATE conversations SET title = 'Written during a drain' WHERE id = ${id}`.execute(repo.db)
    const second = bridge.drain()
    release()
    await Promise.all([first, second])
    expect(titleIn(main, id)).toBe('Written during a drain')
  })
})
