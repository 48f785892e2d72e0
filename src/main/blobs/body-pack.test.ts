/**
 * Body packs: a round trip keeps every body and its place, the encoding is canonical, every malformed pack is a
 * BodyPackError with the code that says why (never a RangeError, never an allocation the bytes cannot back), a body
 * that does not hash to its address is reported on its own, and the planner keeps order and size.
 */
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { LibraryKey } from '../sync/library-key'
import {
  addressWith,
  BodyPackError,
  decodePack,
  encodePack,
  packBytes,
  PACK_TARGET_BYTES,
  planPacks,
  readPackTable,
  type BodyPackErrorCode,
  type PackBody,
} from './body-pack'

const addressOf = addressWith(LibraryKey.generate().derive('blobContentHash', 'library-pack'))
const entry = (body: Uint8Array): PackBody => ({ address: addressOf(body), body })
const text = (words: string) => Buffer.from(`${words} ${randomBytes(6).toString('hex')}`, 'utf8')

function codeOf(attempt: () => unknown): BodyPackErrorCode {
  try {
    attempt()
  } catch (error) {
    expect(error).toBeInstanceOf(BodyPackError)
    return (error as BodyPackError).code
  }
  throw new Error('expected a BodyPackError')
}

const HEADER = 9
const ROW = 40
const u32 = (pack: Buffer, at: number, value: number) => {
  const copy = Buffer.from(pack)
  copy.writeUInt32BE(value, at)
  return copy
}

describe('a body pack', () => {
  const first = entry(text('first'))
  const empty = entry(Buffer.alloc(0))
  const large = entry(randomBytes(5000))
  const bodies = [first, empty, large, entry(text('last'))]

  it('gives back every body under its address, and says where each one sits', () => {
    const { plaintext, entries } = encodePack(bodies)
    expect(plaintext.length).toBe(
      packBytes(
        4,
        bodies.reduce((n, b) => n + b.body.length, 0),
      ),
    )
    expect(readPackTable(plaintext)).toEqual(entries)
    for (const [i, { address, offset, length }] of entries.entries()) {
      expect(address).toBe(bodies[i]?.address)
      expect(plaintext.subarray(offset, offset + length).equals(bodies[i]?.body as Buffer)).toBe(true)
    }
    const decoded = decodePack(plaintext, addressOf)
    expect(decoded.wrongContent).toEqual([])
    expect([...decoded.bodies.keys()]).toEqual(bodies.map((b) => b.address))
    for (const { address, body } of bodies) expect(decoded.bodies.get(address)?.equals(body)).toBe(true)
  })

  it('is canonical: the same bodies in the same order give the same bytes; another order, others', () => {
    expect(encodePack(bodies).plaintext.equals(encodePack(bodies.map((b) => ({ ...b }))).plaintext)).toBe(
      true,
    )
    expect(encodePack([...bodies].reverse()).plaintext.equals(encodePack(bodies).plaintext)).toBe(false)
    expect(decodePack(encodePack([]).plaintext, addressOf).bodies.size).toBe(0)
  })

  it('refuses to encode a duplicate, a malformed address, or more than one blob holds', () => {
    expect(codeOf(() => encodePack([first, empty, first]))).toBe('DUPLICATE_ADDRESS')
    expect(codeOf(() => encodePack([{ address: 'A'.repeat(64), body: text('x') }]))).toBe('BAD_ADDRESS')
    expect(codeOf(() => encodePack([entry(Buffer.alloc(32 * 1024 * 1024))]))).toBe('TOO_LARGE')
  })

  it('reports a body whose bytes are not its address’s, and keeps the others', () => {
    const wrong = { address: addressOf(text('what the address names')), body: text('other bytes') }
    const decoded = decodePack(encodePack([first, wrong, large]).plaintext, addressOf)
    expect(decoded.wrongContent).toEqual([wrong.address])
    expect([...decoded.bodies.keys()]).toEqual([first.address, large.address])
    // Under another library's key nothing verifies.
    const stranger = addressWith(LibraryKey.generate().derive('blobContentHash', 'library-pack'))
    expect(decodePack(encodePack(bodies).plaintext, stranger).wrongContent).toHaveLength(4)
  })
})

describe('decoding a malformed pack', () => {
  const good = encodePack([text('one'), text('two'), text('three')].map(entry)).plaintext
  const firstBody = packBytes(3, 0)

  it('tells truncation, another format and another version apart', () => {
    expect(codeOf(() => readPackTable(Buffer.alloc(0)))).toBe('TRUNCATED')
    expect(codeOf(() => readPackTable(good.subarray(0, 6)))).toBe('TRUNCATED')
    expect(codeOf(() => readPackTable(good.subarray(0, firstBody - 1)))).toBe('TRUNCATED')
    expect(codeOf(() => readPackTable(good.subarray(0, good.length - 1)))).toBe('OUT_OF_RANGE')
    expect(codeOf(() => readPackTable(Buffer.from('{"not":"a pack"}')))).toBe('NOT_A_PACK')
    const v2 = Buffer.from(good)
    v2[4] = 2
    expect(codeOf(() => readPackTable(v2))).toBe('UNKNOWN_VERSION')
  })

  it('refuses a count the bytes cannot hold without allocating for it', () => {
    const huge = u32(good, 5, 0xffffffff)
    const before = process.memoryUsage().arrayBuffers
    expect(codeOf(() => readPackTable(huge))).toBe('TRUNCATED')
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1024 * 1024)
  })

  it('refuses entries out of range, overlapping, leaving gaps or repeated', () => {
    const second = HEADER + ROW
    const offsetOf = (row: number) => good.readUInt32BE(row + 32)
    // Into the table, past the end, and a length that would wrap a 32-bit sum.
    expect(codeOf(() => decodePack(u32(good, HEADER + 32, 0), addressOf))).toBe('OUT_OF_RANGE')
    expect(codeOf(() => decodePack(u32(good, second + 36, 0xffffffff), addressOf))).toBe('OUT_OF_RANGE')
    expect(codeOf(() => decodePack(u32(good, second + 32, good.length + 1), addressOf))).toBe('OUT_OF_RANGE')
    expect(codeOf(() => decodePack(u32(good, second + 32, offsetOf(second) - 1), addressOf))).toBe('OVERLAP')
    expect(codeOf(() => decodePack(u32(good, second + 32, offsetOf(second) + 1), addressOf))).toBe(
      'UNACCOUNTED_BYTES',
    )
    expect(codeOf(() => decodePack(Buffer.concat([good, Buffer.from([0])]), addressOf))).toBe(
      'UNACCOUNTED_BYTES',
    )
    const repeated = Buffer.from(good)
    good.copy(repeated, second, HEADER, HEADER + 32)
    expect(codeOf(() => decodePack(repeated, addressOf))).toBe('DUPLICATE_ADDRESS')
  })

  it('throws only BodyPackErrors on a thousand random corruptions of a valid pack', () => {
    for (let i = 0; i < 1000; i++) {
      const bad = Buffer.from(good)
      for (let flips = 1 + (i % 4); flips > 0; flips--) {
        const at = Math.floor(Math.random() * bad.length)
        bad[at] = (bad[at] as number) ^ (1 + Math.floor(Math.random() * 255))
      }
      try {
        decodePack(bad.subarray(0, Math.max(0, bad.length - (i % 7))), addressOf)
      } catch (error) {
        expect(error).toBeInstanceOf(BodyPackError)
      }
    }
  })
})

describe('planning packs', () => {
  const sized = (bytes: number, id: number) => ({ id, body: Buffer.alloc(bytes) })

  it('fills packs up to the target, in the order given', () => {
    const items = Array.from({ length: 1000 }, (_, i) => sized(1024, i))
    const packs = planPacks(items)
    expect(packs.flat().map((item) => item.id)).toEqual(items.map((item) => item.id))
    for (const pack of packs)
      expect(packBytes(pack.length, pack.length * 1024)).toBeLessThanOrEqual(PACK_TARGET_BYTES)
    // Each pack but the last is full: one more body would not have fitted.
    for (const pack of packs.slice(0, -1))
      expect(packBytes(pack.length + 1, (pack.length + 1) * 1024)).toBeGreaterThan(PACK_TARGET_BYTES)
    expect(packs).toHaveLength(Math.ceil(1000 / packs[0]!.length))
  })

  it('sends a body larger than the target alone, between the packs before and after it', () => {
    const items = [
      sized(100, 0),
      sized(100, 1),
      sized(300_000, 2),
      sized(100, 3),
      sized(PACK_TARGET_BYTES, 4),
    ]
    expect(planPacks(items).map((pack) => pack.map((item) => item.id))).toEqual([[0, 1], [2], [3], [4]])
    expect(planPacks([])).toEqual([])
    expect(planPacks(items, 1).map((pack) => pack.length)).toEqual([1, 1, 1, 1, 1])
  })
})
