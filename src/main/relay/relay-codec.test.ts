/**
 * What the relay accepts from another machine through the Worker. Everyone with the library key can seal an event,
 * so opening it is not enough: it must carry a signature that holds for its place and arguments, and what only a
 * device's main store says (a bridge cursor, an import or SQL origin, a signing key, a main-store event) must come
 * from that device's main store's client. Bad input, each named: such an event from another client, arguments the
 * schema refuses, an edit that claims to have seen what came after it, a ciphertext moved to another sequence number,
 * an unsigned event, a signature over other arguments, a forged signer key.
 */
import { sign } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadOrCreateSigningKey } from '../audit/signing-key'
import type { GlobalEvent } from '../hub/hub-eventlog'
import { encryptEventArgs } from '../sync/event-crypto'
import { deriveSyncKeys, LibraryKey } from '../sync/library-key'
import { makeSignatureCheck, signEvent } from './event-signature'
import { openEvent, RelayRefusal, sealEvent } from './relay-codec'

const storeId = 'library-codec'
const key = deriveSyncKeys(LibraryKey.generate(), storeId).eventArgs
const machineKey = () => loadOrCreateSigningKey(mkdtempSync(join(tmpdir(), 'codec-key-')))
const signer = machineKey()
const check = makeSignatureCheck()
const rename = (clientId: string, extra: Record<string, unknown>) => ({
  name: 'v1.ConversationRenamed',
  clientId,
  sessionId: 's',
  seqNum: 1,
  parentSeqNum: 0,
  args: { at: 1, deviceId: 'dev-a', actor: 'bridge', conversationId: 'c1', title: 'T', ...extra },
})
const opened = (event: ReturnType<typeof rename>) => {
  const one = openEvent(key, storeId, sealEvent(key, signer, storeId, event))
  one.signer(check)
  return one.event
}
const signerOf = (sealed: GlobalEvent) => openEvent(key, storeId, sealed).signer(check)
/** Sealed with the library key, as any machine of the library can, around a payload of the test's choosing. */
const sealedAround = (event: ReturnType<typeof rename>, payload: unknown) => ({
  ...event,
  args: encryptEventArgs(key, { storeId, name: event.name, clientId: event.clientId, seqNum: 1 }, payload),
})

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

  it('is refused when its author claims to have seen it or later events (bad input: a rename at #1 that saw #5)', () => {
    expect(opened(rename('dev-a-page-1', { origin: 'ui', seen: 0 })).args).toMatchObject({ seen: 0 })
    // Another machine that says it had seen what came after would turn a concurrent edit into a later one.
    expect(() => opened(rename('dev-a-page-1', { origin: 'ui', seen: 5 }))).toThrow(
      /event 1 \(v1.ConversationRenamed\): it claims its author had seen event 5, which is not before it/,
    )
  })

  it("is refused in Chronicle's own words when the schema refuses it, the schema's in the detail (bad input: a title that is a number)", () => {
    const refusal = (() => {
      try {
        opened(rename('dev-a-page-1', { origin: 'ui', title: 42 }))
      } catch (error) {
        return error
      }
    })()
    expect(refusal).toBeInstanceOf(RelayRefusal)
    // The message is stored in every machine's chain: nothing of Effect's formatter, whose words vary by version.
    expect((refusal as RelayRefusal).message).toBe(
      'the remote served an event Chronicle refuses: event 1 (v1.ConversationRenamed): its data does not match the schema',
    )
    expect((refusal as RelayRefusal).detail).toMatch(/does not match the schema: .*title/)
  })

  it('is refused when its ciphertext was moved to another place (bad input: a replayed event)', () => {
    const sealed = sealEvent(key, signer, storeId, rename('dev-a-main', { origin: 'ui' }))
    expect(() => openEvent(key, storeId, { ...sealed, seqNum: 2, parentSeqNum: 1 })).toThrow(RelayRefusal)
  })

  it('names the machine that signed it', () => {
    const other = machineKey()
    const event = rename('dev-a-page-1', { origin: 'ui' })
    expect(signerOf(sealEvent(key, signer, storeId, event))).toBe(signer.fingerprint)
    expect(signerOf(sealEvent(key, other, storeId, event))).toBe(other.fingerprint)
  })

  it('is refused unsigned, as an older Chronicle sealed it (bad input: no signature)', () => {
    const event = rename('dev-a-page-1', { origin: 'ui' })
    expect(() => openEvent(key, storeId, sealedAround(event, event.args))).toThrow(/is not signed/)
  })

  it('is refused when its signature covers other arguments or is not a key (bad input: forged signatures)', () => {
    const event = rename('dev-a-page-1', { origin: 'ui' })
    const signed = signEvent(signer, storeId, event)
    const swapped = { ...signed, args: { ...event.args, title: 'Not what was signed' } }
    expect(() => signerOf(sealedAround(event, swapped))).toThrow(/does not hold/)
    // Another place: the signature of the same arguments at sequence number 2.
    const elsewhere = signEvent(signer, storeId, { ...event, seqNum: 2, parentSeqNum: 1 })
    expect(() => signerOf(sealedAround(event, elsewhere))).toThrow(/does not hold/)
    const notAKey = { ...signed, signer: Buffer.alloc(44, 7).toString('base64') }
    expect(() => signerOf(sealedAround(event, notAKey))).toThrow(/not an Ed25519/)
    const short = { ...signed, signature: sign(null, Buffer.from('x'), signer.privateKey).toString('hex') }
    expect(() => openEvent(key, storeId, sealedAround(event, short))).toThrow(/malformed/)
  })
})
