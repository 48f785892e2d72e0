/**
 * A conversations.json of over 60 MB is read one conversation at a time. The proof runs in a child process whose
 * heap is capped well below the file size: reading it whole dies there, streaming it must not. (Sampling heapUsed
 * in-process is at the mercy of when the collector runs; a cap is not.) Most of the file is regenerated answers
 * off the active thread, as in a long-used account, so the adapter's result is small next to it too.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useScratch } from '../../../repository/test-support/scratch'
import { moduleLiteral, runWithHeapCap, writeJsonArray } from '../../test-support/capped-heap'
import { linearConversation } from './test-exports'

const scratch = useScratch()

const CONVERSATIONS = 600
const TURNS = 20
const LINE = 'Réponse régénérée — 再生成された回答 "quoted" \\ escaped\n'
const HEAP_CAP_MB = 40

function* largeExport() {
  for (let c = 0; c < CONVERSATIONS; c++) {
    const conversation = linearConversation(`large-${c}`, TURNS, (i) => `${c}.${i} ${LINE.repeat(40)}`)
    // Only the first exchange is on the active thread; the rest are branches the user moved away from.
    conversation.current_node = 'n1'
    yield conversation
  }
}

const module = (name: string) => moduleLiteral(name, import.meta.url)

const STREAM = `
import { createReadStream } from 'node:fs'
import { jsonArrayEvents } from ${module('../../json-array-stream.ts')}
import { readExport } from ${module('./read-export.ts')}
const path = process.env.EXPORT_FILE
let elements = 0
const events = jsonArrayEvents(createReadStream(path, { highWaterMark: 1 << 20 }))
let next = await events.next()
for (; !next.done; next = await events.next()) if (next.value.kind === 'element') elements++
const read = await readExport(path)
const last = read.conversations.at(-1)
console.log(JSON.stringify({
  elements,
  end: next.value,
  conversations: read.conversations.length,
  problems: read.problems,
  texts: last.messages.map((m) => m.text.slice(0, 7)),
  offThread: last.conversation.metadata.branches.offThreadNodes,
}))
`

const WHOLE = `
import { readFileSync } from 'node:fs'
console.log(JSON.parse(readFileSync(process.env.EXPORT_FILE, 'utf8')).length)
`

const runCapped = (script: string, file: string) =>
  runWithHeapCap(script, HEAP_CAP_MB, { EXPORT_FILE: file }, 60_000)

describe('a conversations.json of over 60 MB', () => {
  it(`streams within a ${HEAP_CAP_MB} MB heap, where reading it whole runs out of memory`, () => {
    const path = join(scratch.dir(), 'conversations.json')
    const size = writeJsonArray(path, largeExport())
    expect(size).toBeGreaterThan(60 * 1024 * 1024)

    const streamed = runCapped(STREAM, path)
    expect(streamed.status, streamed.stderr).toBe(0)
    expect(JSON.parse(streamed.stdout)).toEqual({
      elements: CONVERSATIONS,
      end: { status: 'complete' },
      conversations: CONVERSATIONS,
      problems: [],
      texts: ['599.0 R', '599.1 R'],
      offThread: TURNS * 2 - 2,
    })

    const whole = runCapped(WHOLE, path)
    expect(whole.status).not.toBe(0)
    expect(whole.stderr).toMatch(/heap out of memory|Invalid string length/)
  }, 60_000)
})
