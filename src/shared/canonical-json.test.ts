/**
 * Canonical JSON over keys that are names JavaScript objects carry themselves (bad input: `__proto__` from
 * JSON.parse, `constructor`): each is written as the own key it is, in order, whatever the object's prototype.
 */
import { describe, expect, it } from 'vitest'
import { canonicalJson } from './canonical-json'

describe('canonical JSON', () => {
  it('sorts keys and writes no whitespace', () => {
    expect(canonicalJson({ b: [1, { d: 'x', c: null }], a: true })).toBe(
      '{"a":true,"b":[1,{"c":null,"d":"x"}]}',
    )
  })

  it('writes an own __proto__ key, and two different objects never alike', () => {
    const withProto = JSON.parse('{"__proto__": {"x":1}, "a":1}') as unknown
    expect(canonicalJson(withProto)).toBe('{"__proto__":{"x":1},"a":1}')
    expect(canonicalJson(withProto)).not.toBe(canonicalJson({ a: 1 }))
  })

  it('writes keys named like Object.prototype members, and ignores an inherited prototype', () => {
    expect(canonicalJson(JSON.parse('{"constructor": 1, "toString": 2}'))).toBe(
      '{"constructor":1,"toString":2}',
    )
    const bare = Object.create(null) as Record<string, unknown>
    bare.a = 1
    const inherited = Object.create({ b: 2 }) as Record<string, unknown>
    inherited.a = 1
    expect(canonicalJson(bare)).toBe('{"a":1}')
    expect(canonicalJson(inherited)).toBe('{"a":1}')
  })
})
