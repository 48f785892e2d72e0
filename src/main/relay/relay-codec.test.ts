/**
 * What the relay accepts from another machine through the Worker. Everyone with the library key can seal an event,
 * so opening it is not enough: what only a device's main store says (a bridge cursor, an import or SQL origin, a
 * signing key, a main-store event) must come from that device's main store's client. Bad input, each named: such an
 * event from another client, a ciphertext moved to another sequence number.
 */
import { describe, expect, it } from 'vitest'
import { deriveSyncKeys, LibraryKey } from '../sync/library-key'
import { openEvent, RelayRefusal, sealEvent } from './relay-codec'

const storeId = 'library-codec'
const key = deriveSyncKeys(LibraryKey.generate(), storeId).eventArgs
const rename = (clientId: string, extra: Record<string, unknown>) => ({
  name: 'v1.ConversationRenamed',
  clientId,
  sessionId: 's',
  seqNum: 1,
  parentSeqNum: 0,
  args: { at: 1, deviceId: 'dev-a', actor: 'bridge', conversationId: 'c1', title: 'T', ...extra },
})
const opened = (event: ReturnType<typeof rename>) => openEvent(key, storeId, sealEvent(key, storeId, event))

describe('an event pulled from another machine', () => {
  it("is taken when what only a main store says comes from that device's main store", () => {
    expect(opened(rename('dev-a-main', { origin: 'sql', sqlSeq: 12 })).args).toMatchObject({ sqlSeq: 12 })
    expect(opened(rename('dev-a-page-1', { origin: 'ui' })).args).toMatchObject({ origin: 'ui' })
  })

  it.each([
    ['a bridge cursor', { origin: 'ui', sqlSeq: 12 }, /bridge cursor .*not device dev-a’s main store/],
    ['an SQL origin', { origin: 'sql' }, /origin sql is the main store’s, and client dev-b-main/],
    ['an import origin', { origin: 'import' }, /origin import is the main store’s, and client/],
  ])(
    'is refused when %s comes from another client (bad input: a forged main-store event)',
    (_, extra, reason) => {
      expect(() => opened(rename('dev-b-main', extra))).toThrow(RelayRefusal)
      expect(() => opened(rename('dev-b-main', extra))).toThrow(reason)
    },
  )

  it('is refused when its ciphertext was moved to another place (bad input: a replayed event)', () => {
    const sealed = sealEvent(key, storeId, rename('dev-a-main', { origin: 'ui' }))
    expect(() => openEvent(key, storeId, { ...sealed, seqNum: 2, parentSeqNum: 1 })).toThrow(RelayRefusal)
  })
})
