/** The first elements' top-level fields, read from the first bytes of a JSON array file. */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useScratch } from '../repository/test-support/scratch'
import { headElements, readHeadElements } from './json-array-head'

const scratch = useScratch()
const bytes = (text: string) => Buffer.from(text, 'utf8')

describe('headElements', () => {
  it("keeps each object element's keys and short string values, not those of nested objects or strings", () => {
    const [first, second] = headElements(
      bytes(
        '[{"ts":1,"type":"say","say":"task","text":"say \\"say\\":\\"text\\"","nested":{"say":"x"}},' +
          '{"role":"assistant","modelInfo":{"modelId":"m"}}]',
      ),
    )
    expect([...(first?.keys ?? [])]).toEqual(['ts', 'type', 'say', 'text', 'nested'])
    expect(first?.strings.get('say')).toBe('task')
    expect(first?.strings.get('text')).toBe('say "say":"text"')
    expect(second?.keys.has('modelInfo')).toBe(true)
  })

  it('bad input: an element cut off by the end of the head keeps the fields read so far', () => {
    const [first] = headElements(bytes(`[{"say":"task","images":["data:image/png;base64,${'A'.repeat(500)}`))
    expect(first?.strings.get('say')).toBe('task')
  })

  it('bad input: an object, a scalar and binary data are not arrays; non-object elements have no fields', () => {
    expect(headElements(bytes('{"say":"task"}'))).toEqual([])
    expect(headElements(bytes('"[{}]"'))).toEqual([])
    expect(headElements(Uint8Array.from([0, 1, 0x5b]))).toEqual([])
    expect(headElements(bytes('\ufeff [1, "a", [{"say":"x"}], {"say":"text"}]'))).toHaveLength(1)
  })
})

describe('readHeadElements', () => {
  it('reads only the head: a first row carrying megabytes of image still gives its `say`', async () => {
    const path = join(scratch.dir(), 'ui_messages.json')
    const image = `data:image/png;base64,${'A'.repeat(4 * 1024 * 1024)}`
    writeFileSync(path, JSON.stringify([{ ts: 1, type: 'say', say: 'task', images: [image] }]))
    const head = await readHeadElements(path)
    expect(head).toHaveLength(1)
    expect(head[0]?.strings.get('say')).toBe('task')
  })

  it('bad input: a missing file tells nothing (its read reports it)', async () => {
    expect(await readHeadElements(join(scratch.dir(), 'missing.json'))).toEqual([])
  })
})
