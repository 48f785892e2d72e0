/**
 * The chain's hash form: args whose keys are names JavaScript objects carry themselves (`__proto__`,
 * `constructor`, `toString`; bad input a client could push) hash as the data they are, never as less; and the
 * hash of ordinary data is pinned, so stored chains in users' databases keep verifying.
 */
import { describe, expect, it } from 'vitest'
import { canonicalJson } from '../../shared/canonical-json'
import { chainHash, GENESIS_HASH, hashForm } from './event-hash'

const event = (args: unknown) => ({
  seqNum: 7,
  parentSeqNum: 6,
  name: 'v1.ConversationRenamed',
  args,
  clientId: 'c-main',
  sessionId: 's1',
})

describe('event hash', () => {
  it('keeps an own __proto__ key: two different args never hash alike', () => {
    const withProto = JSON.parse('{"__proto__": {"x":1}, "a":1}') as unknown
    expect(chainHash(GENESIS_HASH, event(withProto))).not.toBe(chainHash(GENESIS_HASH, event({ a: 1 })))
    expect(canonicalJson(hashForm(withProto))).toBe('{"__proto__":{"x":1},"a":1}')
    // The hash form maps to itself, so an export's record of it verifies like the stored event.
    expect(canonicalJson(hashForm(hashForm(withProto)))).toBe('{"__proto__":{"x":1},"a":1}')
    expect(Object.getPrototypeOf(hashForm(withProto))).not.toEqual({ x: 1 })
  })

  it('replaces content under a __proto__ key by its digest, as anywhere else', () => {
    const args = JSON.parse('{"__proto__": {"title": "secret"}}') as unknown
    const form = JSON.parse(canonicalJson(hashForm(args))) as { ['__proto__']: { title: unknown } }
    expect(Object.keys(form)).toEqual(['__proto__'])
    expect(JSON.stringify(form)).toContain('"sha256":')
    expect(JSON.stringify(form)).not.toContain('secret')
  })

  it('keeps keys named like Object.prototype members', () => {
    for (const key of ['constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      const args = JSON.parse(`{"${key}": 1, "a": 1}`) as unknown
      expect(canonicalJson(hashForm(args)), key).toBe(`{"a":1,"${key}":1}`)
      expect(chainHash(GENESIS_HASH, event(args)), key).not.toBe(chainHash(GENESIS_HASH, event({ a: 1 })))
    }
  })

  it('hashes ordinary data as it always has (stored chains keep verifying)', () => {
    const args = {
      at: 1735689600000,
      deviceId: 'd1',
      actor: 'user',
      origin: 'ui',
      conversationId: 'c1',
      title: 'Pool fix, "final"',
      tags: ['a', 'b'],
      nested: { text: 'hi', n: 1.5, z: null },
    }
    expect(chainHash(GENESIS_HASH, event(args))).toBe(
      '6147003358da322495a434b28f2deeece4c771fd6685c0334aa1fdbcc6d6463c',
    )
  })
})
