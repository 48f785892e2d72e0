import { describe, expect, it } from 'vitest'
import {
  jsonArrayEvents,
  JsonArraySplitter,
  type ArrayEnd,
  type ArrayEvent,
  type ArrayWording,
} from './json-array-stream'

const bytes = (text: string) => new TextEncoder().encode(text)

/** Feeds `input` in chunks of `size` bytes and returns what came out. */
function split(
  input: Uint8Array,
  size: number,
  maxElementBytes?: number,
  wording?: ArrayWording,
  tailBytes?: number,
): { events: ArrayEvent[]; end: ArrayEnd } {
  const splitter = new JsonArraySplitter({ maxElementBytes, wording, tailBytes })
  const events: ArrayEvent[] = []
  for (let i = 0; i < input.length; i += size) events.push(...splitter.push(input.subarray(i, i + size)))
  return { events, end: splitter.end() }
}

const values = (events: readonly ArrayEvent[]) => events.map((e) => (e.kind === 'element' ? e.value : e))

// Strings that contain every character the scanner reacts to, escaped quotes and backslashes, and UTF-8.
const TRICKY = [
  { id: 'a', text: 'brackets ] } [ { and "quotes" and a comma, inside a string' },
  { id: 'b', text: 'backslash at the end \\', more: ['\\"', '\\\\"', '"\\'] },
  { id: 'c', text: 'ラーメン 🍜 Привет مرحبا', nested: { deep: [[[{}]]], empty: '' } },
  42,
  -1.5e3,
  'a string element',
  true,
  null,
  [],
  {},
]

describe('JsonArraySplitter', () => {
  it('hands out every element exactly as JSON.parse does, whatever the chunk boundaries', () => {
    const input = bytes(`\uFEFF \n[ ${TRICKY.map((v) => JSON.stringify(v, null, 2)).join(' ,\n')} ]\n`)
    for (const size of [1, 2, 3, 7, 64, input.length]) {
      const { events, end } = split(input, size)
      expect(values(events), `chunks of ${size}`).toEqual(TRICKY)
      expect(events.map((e) => e.index)).toEqual(TRICKY.map((_, i) => i))
      expect(end).toEqual({ status: 'complete' })
    }
  })

  it('accepts an empty array and a trailing comma', () => {
    expect(split(bytes(' [ ] '), 1)).toEqual({ events: [], end: { status: 'complete' } })
    expect(values(split(bytes('[1, 2,]'), 3).events)).toEqual([1, 2])
  })

  it('skips an element over the size limit without keeping its bytes, and goes on', () => {
    const big = { id: 'big', text: 'x'.repeat(5000) }
    const { events, end } = split(bytes(JSON.stringify([{ id: 1 }, big, { id: 3 }])), 100, 1000)
    expect(values(events)).toEqual([
      { id: 1 },
      { kind: 'skipped', index: 1, cause: 'too-large', reason: 'is 5 KB, over the 1 KB limit' },
      { id: 3 },
    ])
    expect(end.status).toBe('complete')
  })

  it('keeps the last tailBytes of an element over the limit when asked, whatever the chunk boundaries', () => {
    const big = JSON.stringify({ text: 'x'.repeat(5000), id: 'big' })
    const input = bytes(`[${big}, {"id": 3}]`)
    for (const size of [1, 7, 100, 4096, input.length]) {
      const { events } = split(input, size, 1000, undefined, 12)
      expect(events[0], `chunks of ${size}`).toMatchObject({ kind: 'skipped', tail: ',"id":"big"}' })
      expect(values(events.slice(1))).toEqual([{ id: 3 }])
    }
  })

  it('skips an element that is delimited but not valid JSON or not UTF-8', () => {
    const input = Buffer.concat([bytes('[{"a": tru}, "'), Buffer.from([0xff, 0xfe]), bytes('", {"ok": 1}]')])
    const { events, end } = split(input, 4)
    expect(events.map((e) => e.kind)).toEqual(['skipped', 'skipped', 'element'])
    expect(events[1]).toMatchObject({ cause: 'invalid', reason: 'is not UTF-8 text' })
    expect(end.status).toBe('complete')
  })

  it('reports a file cut short as truncated, after the complete elements', () => {
    const { events, end } = split(bytes('[{"id": 1}, {"id": 2}, {"id": "thr'), 5)
    expect(values(events)).toEqual([{ id: 1 }, { id: 2 }])
    expect(end).toEqual({
      status: 'truncated',
      reason: 'ends abruptly after 2 complete elements (probably still being written)',
    })
    expect(split(bytes('  '), 1).end).toEqual({
      status: 'truncated',
      reason: 'is empty (probably still being written)',
    })
  })

  it('refuses what is not a JSON array', () => {
    expect(split(bytes('{"conversations": []}'), 8).end).toEqual({
      status: 'corrupt',
      reason: 'is a JSON object, not an array',
    })
    expect(split(bytes('hello'), 8).end).toMatchObject({ reason: 'is not JSON (starts with "h")' })
    expect(split(bytes('"hello"'), 8).end).toMatchObject({ reason: 'is not JSON (starts with "\\"")' })
    expect(split(Uint8Array.from([0x89, 0x50, 0x4e, 0x47]), 8).end).toMatchObject({
      reason: expect.stringMatching(/binary/) as string,
    })
    expect(split(bytes('[{"a": 1}]\n[2]'), 8).end).toMatchObject({
      reason: 'has data after the end of the array',
    })
  })

  it('names elements and refusals in the words the caller gives', () => {
    const wording = { one: 'message', many: 'messages', object: 'is an object', scalar: 'is a value' }
    expect(split(bytes('[1] x'), 8, undefined, wording).end).toMatchObject({
      reason: 'has data after the end of the array',
    })
    expect(split(bytes('[1 x'), 8, undefined, wording).end).toMatchObject({
      reason: 'is not valid JSON after 1 complete message (offset 3)',
    })
    expect(split(bytes('[1, 2, {'), 8, undefined, wording).end).toMatchObject({
      reason: 'ends abruptly after 2 complete messages (probably still being written)',
    })
    expect(split(bytes('{}'), 8, undefined, wording).end).toMatchObject({ reason: 'is an object' })
    for (const scalar of ['"text"', '-1', '7', 'true', 'false', 'null'])
      expect(split(bytes(scalar), 8, undefined, wording).end).toMatchObject({ reason: 'is a value' })
  })

  it('stops at binary data in the middle, keeping what came before', () => {
    const input = Buffer.concat([bytes('[{"id": 1}, {"id": 2'), Buffer.alloc(16)])
    for (const size of [8, input.length]) {
      const { events, end } = split(input, size)
      expect(values(events)).toEqual([{ id: 1 }])
      expect(end).toMatchObject({
        status: 'corrupt',
        reason: expect.stringMatching(/NUL byte at offset 20/) as string,
      })
    }
  })

  it('stops reading a stream once the input is known to be broken', async () => {
    let pulled = 0
    async function* chunks() {
      for (const c of ['[1,', ' 2 3', ', 4]', ' 5']) {
        pulled++
        yield bytes(c)
      }
    }
    const events = jsonArrayEvents(chunks())
    const seen: ArrayEvent[] = []
    let next = await events.next()
    while (!next.done) {
      seen.push(next.value)
      next = await events.next()
    }
    expect(values(seen)).toEqual([1, 2])
    expect(next.value.status).toBe('corrupt')
    expect(pulled).toBe(2)
  })
})
