/**
 * Event envelopes under attack from the server that stores them. The bad inputs: a flipped bit in the ciphertext,
 * the nonce and the tag; a changed key id; a version the reader does not know; the envelope moved to another event
 * name, sequence number, client or store; another library's key; and garbage where an envelope should be (not JSON,
 * an array, null, numbers where strings belong, huge strings, extra and missing fields, non-canonical base64url).
 * Every refusal is an EventCryptoError with the code that says why; nothing unauthenticated comes back.
 */
import { describe, expect, it } from 'vitest'
import { deriveSyncKeys, LibraryKey } from './library-key'
import {
  decryptEventArgs,
  encryptEventArgs,
  EventCryptoError,
  MAX_ARGS_BYTES,
  MAX_ENVELOPE_CHARS,
  type EventCryptoErrorCode,
  type EventEnvelope,
  type EventPlace,
} from './event-crypto'

const key = deriveSyncKeys(LibraryKey.generate(), 'library-a').eventArgs
const place: EventPlace = {
  storeId: 'library-a',
  name: 'v1.ConversationRenamed',
  clientId: 'c-1',
  seqNum: 41,
}
const args = {
  id: 'conv-1',
  title: 'Käse über alles 🧀',
  at: 1764800000000,
  device: 'd-1',
  tags: ['a', null],
}

function refusedWith(code: EventCryptoErrorCode, received: unknown, at: EventPlace = place, withKey = key) {
  let caught: unknown
  try {
    decryptEventArgs(withKey, at, received)
  } catch (error) {
    caught = error
  }
  expect(caught, `expected ${code}`).toBeInstanceOf(EventCryptoError)
  expect((caught as EventCryptoError).code).toBe(code)
  return (caught as EventCryptoError).message
}

/** The field's bytes with one bit flipped, re-encoded canonically. */
function flipBit(envelope: EventEnvelope, field: 'nonce' | 'ct' | 'tag' | 'kid', bit = 0): EventEnvelope {
  const bytes = Buffer.from(envelope[field], 'base64url')
  bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) ^ (1 << (bit & 7))
  return { ...envelope, [field]: bytes.toString('base64url') }
}

describe('encryptEventArgs and decryptEventArgs', () => {
  it('round-trip JSON values, as the envelope and as its JSON text, with no plaintext in the envelope', () => {
    for (const value of [args, [1, 'two'], 'text', 0, true, null, {}]) {
      const envelope = encryptEventArgs(key, place, value)
      expect(decryptEventArgs(key, place, envelope)).toEqual(value)
      expect(decryptEventArgs(key, place, JSON.stringify(envelope))).toEqual(value)
    }
    expect(JSON.stringify(encryptEventArgs(key, place, args))).not.toMatch(/conv-1|Käse|v1\.Conversation/)
  })

  it('refuses a flipped bit anywhere in the ciphertext, nonce or tag as tampered', () => {
    const envelope = encryptEventArgs(key, place, args)
    const ctBits = Buffer.from(envelope.ct, 'base64url').length * 8
    for (const bit of [0, 7, ctBits >> 1, ctBits - 1]) refusedWith('TAMPERED', flipBit(envelope, 'ct', bit))
    for (const bit of [0, 95]) refusedWith('TAMPERED', flipBit(envelope, 'nonce', bit))
    for (const bit of [0, 127]) refusedWith('TAMPERED', flipBit(envelope, 'tag', bit))
    const shorter = Buffer.from(envelope.ct, 'base64url').subarray(1).toString('base64url')
    refusedWith('TAMPERED', { ...envelope, ct: shorter })
  })

  it('refuses another version, and a changed key id as a wrong key', () => {
    const envelope = encryptEventArgs(key, place, args)
    expect(refusedWith('UNKNOWN_VERSION', { ...envelope, v: 2 })).toMatch(/version 2.*Update Chronicle/)
    refusedWith('UNKNOWN_VERSION', { ...envelope, v: 0 })
    refusedWith('MALFORMED', { ...envelope, v: '1' })
    refusedWith('WRONG_KEY', flipBit(envelope, 'kid'))
  })

  it('refuses the envelope at another event name, sequence number, client or store', () => {
    const envelope = encryptEventArgs(key, place, args)
    const elsewhere: EventPlace[] = [
      { ...place, name: 'v1.ConversationStarred' },
      { ...place, seqNum: 42 },
      { ...place, seqNum: 40 },
      { ...place, clientId: 'c-2' },
      { ...place, storeId: 'library-b' },
    ]
    for (const at of elsewhere) refusedWith('WRONG_EVENT', envelope, at)
    // A server that also rewrites the binding check still gets nothing: GCM's tag covers the place.
    for (const at of elsewhere) {
      const rebound = encryptEventArgs(key, at, args).bind
      refusedWith('TAMPERED', { ...envelope, bind: rebound }, at)
    }
  })

  it("refuses another library's key, and the same key derived for another store", () => {
    const envelope = encryptEventArgs(key, place, args)
    refusedWith('WRONG_KEY', envelope, place, deriveSyncKeys(LibraryKey.generate(), 'library-a').eventArgs)
  })

  it('uses a different nonce for each of 10,000 encryptions of the same value', () => {
    const nonces = new Set<string>()
    const ciphertexts = new Set<string>()
    for (let i = 0; i < 10_000; i++) {
      const envelope = encryptEventArgs(key, place, args)
      nonces.add(envelope.nonce)
      ciphertexts.add(envelope.ct)
    }
    expect(nonces.size).toBe(10_000)
    expect(ciphertexts.size).toBe(10_000)
  })

  it('refuses garbage with MALFORMED: not JSON, arrays, null, wrong types, missing and extra fields', () => {
    const envelope = encryptEventArgs(key, place, args)
    const garbage: unknown[] = [
      'not json',
      '{"v":1',
      '',
      '[]',
      [],
      [envelope],
      null,
      undefined,
      42,
      true,
      {},
      { ...envelope, v: undefined },
      { ...envelope, ct: 123 },
      { ...envelope, nonce: null },
      { ...envelope, tag: ['x'] },
      { ...envelope, kid: { a: 1 } },
      { ...envelope, extra: 'x' },
      { v: 1, kid: envelope.kid, nonce: envelope.nonce, ct: envelope.ct, tag: envelope.tag },
      { ...envelope, nonce: envelope.nonce + '!' },
      { ...envelope, nonce: 'AAAAAAAAAAAAAAAA' + 'AA' },
      { ...envelope, tag: envelope.tag.slice(0, -2) },
      // Non-canonical base64url: spare bits set in the last character, which a lenient decoder would drop.
      { ...envelope, ct: 'AB' },
      { ...envelope, kid: envelope.kid.slice(0, -1) + (envelope.kid.endsWith('B') ? 'C' : 'B') },
    ]
    for (const value of garbage) refusedWith('MALFORMED', value)
  })

  it('refuses huge input as TOO_LARGE before parsing it, and will not seal arguments it would refuse', () => {
    const envelope = encryptEventArgs(key, place, args)
    refusedWith('TOO_LARGE', 'x'.repeat(MAX_ENVELOPE_CHARS + 1))
    refusedWith('TOO_LARGE', { ...envelope, ct: 'A'.repeat(MAX_ENVELOPE_CHARS * 4) })
    const tooBig = { text: 'a'.repeat(MAX_ARGS_BYTES) }
    expect(() => encryptEventArgs(key, place, tooBig)).toThrow(EventCryptoError)
    const justFits = 'a'.repeat(MAX_ARGS_BYTES - 2)
    expect(decryptEventArgs(key, place, JSON.stringify(encryptEventArgs(key, place, justFits)))).toBe(
      justFits,
    )
  })

  it('refuses to seal what is not JSON, or for a place with a bad store id or sequence number', () => {
    for (const value of [undefined, () => 1, Symbol('s')])
      expect(() => encryptEventArgs(key, place, value)).toThrow(/JSON value/)
    expect(() => encryptEventArgs(key, { ...place, storeId: 'a/b' }, args)).toThrow(/store id/)
    expect(() => encryptEventArgs(key, { ...place, seqNum: -1 }, args)).toThrow(/sequence number/)
    expect(() => encryptEventArgs(key, { ...place, seqNum: 1.5 }, args)).toThrow(/sequence number/)
  })
})
