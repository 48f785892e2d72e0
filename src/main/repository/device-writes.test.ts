/**
 * What the repository keeps of devices, on a real file: a device seen before it said its name is listed under its
 * id until it does, the fields a write does not know stay as they are, and the first and last sightings only
 * widen (a device's older event arriving late moves the first, never the last). A message keeps the device it
 * first came from.
 */
import { describe, expect, it } from 'vitest'
import { useScratch } from './test-support/scratch'

const scratch = useScratch()

describe('device rows', () => {
  it('list a device under its id until it says its name, keep what a write does not say, and widen the sightings only', async () => {
    const repo = scratch.open()
    const row = () => repo.db.selectFrom('devices').selectAll().executeTakeFirstOrThrow()
    await repo.write('bridge', (w) => w.upsertDevice({ id: 'd1', firstSeenAt: 20, lastSeenAt: 30 }))
    expect(await row()).toEqual({
      id: 'd1',
      name: 'd1',
      platform: '',
      kind: '',
      app_version: '',
      first_seen_at: 20,
      last_seen_at: 30,
    })
    await repo.write('bridge', (w) =>
      w.upsertDevice({
        id: 'd1',
        name: 'Laptop',
        kind: 'desktop',
        platform: 'linux',
        appVersion: '1.0.0',
        firstSeenAt: 25,
        lastSeenAt: 25,
      }),
    )
    await repo.write('bridge', (w) =>
      w.upsertDevice({ id: 'd1', name: 'Studio', firstSeenAt: 10, lastSeenAt: 12 }),
    )
    expect(await row()).toEqual({
      id: 'd1',
      name: 'Studio',
      platform: 'linux',
      kind: 'desktop',
      app_version: '1.0.0',
      first_seen_at: 10,
      last_seen_at: 30,
    })
  })
})

describe('a message’s device', () => {
  it('is the device it first came from: an import of a message synced from another device keeps that device, and one without a device takes the importer’s', async () => {
    const repo = scratch.open()
    const conversation = {
      id: 'c1',
      source: 'claude-code' as const,
      sourceId: 's1',
      title: 'T',
      createdAt: 1,
    }
    const message = (id: string, ordinal: number) => ({
      id,
      conversationId: 'c1',
      ordinal,
      role: 'user' as const,
      text: id,
    })
    await repo.write('bridge', async (w) => {
      await w.upsertConversations([conversation])
      await w.upsertMessages([{ ...message('from-laptop', 0), deviceId: 'laptop-1' }, message('older', 1)])
    })
    await repo.write('import', (w) =>
      w.upsertMessages([
        { ...message('from-laptop', 0), deviceId: 'desktop-1' },
        { ...message('older', 1), deviceId: 'desktop-1' },
      ]),
    )
    const rows = await repo.db.selectFrom('messages').select(['id', 'device_id']).orderBy('ordinal').execute()
    expect(rows).toEqual([
      { id: 'from-laptop', device_id: 'laptop-1' },
      { id: 'older', device_id: 'desktop-1' },
    ])
  })
})
