/** The streamed message files fail as a whole-file parse did, and report an element too large to hold. */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useScratch } from '../../../repository/test-support/scratch'
import { UnitReadError } from '../../source-adapter'
import { readJsonArrayItems } from './json-array-file'

const scratch = useScratch()

async function read(text: string, maxElementBytes?: number) {
  const path = join(scratch.dir(), 'ui_messages.json')
  writeFileSync(path, text)
  const items: unknown[] = []
  const result = await readJsonArrayItems(path, (item) => items.push(item), undefined, maxElementBytes).then(
    (r) => r,
    (e: unknown) => e,
  )
  return { items, result }
}

describe('readJsonArrayItems', () => {
  it('hands out every element in order', async () => {
    const { items, result } = await read(' [{"a": 1}, "two", 3, [4]]\n')
    expect(items).toEqual([{ a: 1 }, 'two', 3, [4]])
    expect(result).toMatchObject({ count: 4 })
  })

  it.each([
    ['{"a": 1}', 'is not a JSON array', false],
    ['"text"', 'is not a JSON array', false],
    ['42', 'is not a JSON array', false],
    [' \n ', 'is empty (probably still being written)', true],
    ['[{"a": 1}, {"b"', 'ends abruptly (probably still being written)', true],
    ['[{"a": 1} {"b": 2}]', 'is not valid JSON after 1 complete item (offset 10)', false],
    ['[1, {"a": tru}]', expect.stringMatching(/^is not valid JSON \(.*\) at item 1$/) as string, false],
    ['[1] [2]', 'has data after the end of the array', false],
  ])('%j: %s', async (text, reason, retryable) => {
    const { result } = await read(text)
    expect(result).toBeInstanceOf(UnitReadError)
    expect(result).toMatchObject({ reason, retryable })
  })

  it('reports an element over the size limit', async () => {
    const { items, result } = await read(JSON.stringify([{ a: 1 }, { big: 'x'.repeat(5000) }]), 1024)
    expect(items).toEqual([{ a: 1 }])
    expect(result).toMatchObject({
      reason: 'has item 1, which is 5 KB, over the 1 KB limit',
      retryable: false,
    })
  })
})
