/**
 * Device sightings as the LiveStore→SQL half applies them, on a real repository file: events the schema allows but
 * that name no usable device (an id of 1,000 characters, an id with a NUL), carry no usable time or kind, or have
 * no arguments at all, are reported or recorded with what is known, and never stop the run or its cursor.
 */
import { describe, expect, it } from 'vitest'
import { useScratch } from '../repository/test-support/scratch'
import { appliedCursor, applyEvents } from './apply-events'
import type { ConfirmedEvent } from './confirmed-events'
import { printable } from './device-sightings'

const scratch = useScratch()

describe('device sightings', () => {
  it('records the devices it can name, reports the ids it cannot, and moves the cursor past all (bad input: hostile ids, a NaN time, an unknown kind, no arguments)', async () => {
    const repo = scratch.open()
    const meta = (deviceId: string, at: number) => ({ deviceId, at, actor: 'x', origin: 'sync' })
    const events: ConfirmedEvent[] = [
      {
        seqNum: 1,
        name: 'v1.ConversationStarred',
        args: { ...meta('x'.repeat(1_000), 5), conversationId: 'c' },
      },
      { seqNum: 2, name: 'v1.DeviceRenamed', args: { ...meta('evil\u0000\u001b[2J', 6), name: 'n' } },
      {
        seqNum: 3,
        name: 'v1.DeviceRegistered',
        args: { ...meta('ok-1', Number.NaN), name: 'Ok', kind: 'mainframe', platform: 42, appVersion: null },
      },
      {
        seqNum: 4,
        name: 'v1.DeviceConnected',
        args: { ...meta('hub-1', 10), connectedDeviceId: 'ok-1', clientId: 'ok-1' },
      },
      { seqNum: 5, name: 'v1.ConversationUnstarred', args: null },
    ]
    const skipped: string[] = []
    await repo.write('bridge', (_writer, trx) =>
      applyEvents(trx, events, {
        deviceId: 'local-1',
        bridgedSeq: 0,
        prices: repo.prices,
        onSkipped: (event, error) => skipped.push(`${event.seqNum}: ${String(error)}`),
      }),
    )
    const rows = await repo.db.selectFrom('devices').selectAll().orderBy('id').execute()
    expect(rows).toEqual([
      {
        id: 'hub-1',
        name: 'hub-1',
        platform: '',
        kind: '',
        app_version: '',
        first_seen_at: 10,
        last_seen_at: 10,
      },
      {
        id: 'ok-1',
        name: 'Ok',
        platform: '',
        kind: '',
        app_version: '',
        first_seen_at: 10,
        last_seen_at: 10,
      },
    ])
    expect(skipped).toHaveLength(3)
    expect(skipped.filter((s) => s.includes('is not recorded: not a plain id'))).toEqual([
      expect.stringMatching(/^1: .*"x{40}"…/),
      expect.stringMatching(/^2: .*"evil \[2J"/),
    ])
    expect(skipped.filter((s) => /\p{Cc}/u.test(s))).toEqual([])
    expect(await appliedCursor(repo.db)).toBe(5)
  })

  it('makes any text one printable line: controls and direction overrides become one space, emoji sequences stay whole, cut by characters', () => {
    expect(printable(' a\u0000\u0000b\u202ec\r\n\td ', 100)).toBe('a b c d')
    expect(printable('\u{1F469}\u200d\u{1F4BB} laptop', 100)).toBe('\u{1F469}\u200d\u{1F4BB} laptop')
    expect(printable('\ud800x', 100)).toBe('x') // a lone surrogate
    expect(printable('\u{1F600}'.repeat(5), 3)).toBe('\u{1F600}'.repeat(3))
    expect(printable(42, 10)).toBe('')
  })
})
