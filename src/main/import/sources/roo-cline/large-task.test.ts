/**
 * An api_conversation_history.json or a ui_messages.json of over 100 MB, nearly all of it pasted screenshots, is
 * read one message at a time. The proof runs in a child process whose heap is capped well below the file size: parsing it whole dies
 * there, the adapter must not. (Sampling heapUsed in-process is at the mercy of when the collector runs; a cap is
 * not.) The messages that come out hold image references, never the base64.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useScratch } from '../../../repository/test-support/scratch'
import { moduleLiteral, runWithHeapCap, writeJsonArray } from '../../test-support/capped-heap'
import { writeTask } from './test-folders'

const scratch = useScratch()

const PAIRS = 300
const IMAGE_BYTES = 300 * 1024 // 400 KB once in base64
const HEAP_CAP_MB = 64

/** Base64 that differs per image, so nothing can be shared between them. */
const imageData = (n: number) => Buffer.alloc(IMAGE_BYTES, n % 251).toString('base64')

/** Pairs of a prompt with a pasted screenshot and an answer, as Roo writes them. */
function* largeHistory() {
  for (let n = 0; n < PAIRS; n++) {
    const image = { type: 'base64', media_type: 'image/png', data: imageData(n) }
    yield {
      role: 'user',
      ts: 1_700_000_000_000 + n * 2000,
      content: [
        { type: 'text', text: `<task>Look at screenshot ${n}</task>` },
        { type: 'image', source: image },
      ],
    }
    yield {
      role: 'assistant',
      ts: 1_700_000_000_000 + n * 2000 + 1000,
      content: [{ type: 'text', text: `Screenshot ${n} shows a dialog.` }],
    }
  }
}

/** The same task as its UI log: each screenshot pasted with the user's feedback, and each call's request. */
function* largeUiLog() {
  yield { ts: 1_700_000_000_000, type: 'say', say: 'text', text: 'Look at my screenshots' }
  for (let n = 0; n < PAIRS; n++) {
    const ts = 1_700_000_000_000 + n * 2000
    const image = `data:image/png;base64,${imageData(n)}`
    yield { ts: ts + 1, type: 'say', say: 'user_feedback', text: `Screenshot ${n}`, images: [image] }
    const request = `[attempt_completion] Result:\n\nDialog ${n} checked.\n<feedback>\nScreenshot ${n}\n</feedback>\n[Image]`
    yield { ts: ts + 2, type: 'say', say: 'api_req_started', text: JSON.stringify({ request, tokensIn: 1 }) }
    yield { ts: ts + 3, type: 'say', say: 'text', text: `Screenshot ${n} shows a dialog.` }
  }
}

const module = (name: string) => moduleLiteral(name, import.meta.url)

const ADAPTER = `
import { rooCodeAdapter } from ${module('./index.ts')}
const dir = process.env.TASK_DIR
const files = process.env.TASK_FILES.split(',').map((name) => dir + '/' + name)
const [read] = await rooCodeAdapter.readUnit({ key: dir, source: 'roo', files })
const all = JSON.stringify(read.messages)
console.log(JSON.stringify({
  messages: read.messages.length,
  first: read.messages[0],
  last: read.messages.at(-1).text,
  base64: /[A-Za-z0-9+/]{1000}/.test(all),
  resultKB: Math.round(all.length / 1024),
}))
`

const WHOLE = `
import { readFileSync } from 'node:fs'
const file = process.env.TASK_DIR + '/' + process.env.TASK_FILES
console.log(JSON.parse(readFileSync(file, 'utf8')).length)
`

const runCapped = (script: string, dir: string, file: string) =>
  runWithHeapCap(script, HEAP_CAP_MB, { TASK_DIR: dir, TASK_FILES: file }, 90_000)

const API = 'api_conversation_history.json'
const UI = 'ui_messages.json'

describe('an api_conversation_history.json of over 100 MB of screenshots', () => {
  it(`is read within a ${HEAP_CAP_MB} MB heap, where parsing it whole runs out of memory`, () => {
    const dir = writeTask(scratch.dir(), 'large-task', {})
    const size = writeJsonArray(join(dir, API), largeHistory())
    expect(size).toBeGreaterThan(100 * 1024 * 1024)

    const streamed = runCapped(ADAPTER, dir, API)
    expect(streamed.status, streamed.stderr).toBe(0)
    const result = JSON.parse(streamed.stdout) as { resultKB: number }
    // What is kept is the text and the references: a few hundred KB out of the file's 100+ MB.
    expect(result.resultKB).toBeLessThan(1024)
    expect(result).toMatchObject({
      messages: PAIRS * 2,
      first: {
        role: 'user',
        kind: 'text',
        text: '<task>Look at screenshot 0</task>\n\n[image image/png, 300 KB]',
        content: [
          { type: 'text', text: '<task>Look at screenshot 0</task>' },
          { type: 'image', omitted: true, mediaType: 'image/png', bytes: IMAGE_BYTES },
        ],
      },
      last: `Screenshot ${PAIRS - 1} shows a dialog.`,
      base64: false,
    })

    const whole = runCapped(WHOLE, dir, API)
    expect(whole.status).not.toBe(0)
    expect(whole.stderr).toMatch(/heap out of memory|Invalid string length/)
  }, 120_000)
})

describe('a ui_messages.json of over 100 MB of screenshots', () => {
  it(`is read within a ${HEAP_CAP_MB} MB heap, its rows and requests one at a time`, () => {
    const dir = writeTask(scratch.dir(), 'large-ui-task', {})
    expect(writeJsonArray(join(dir, UI), largeUiLog())).toBeGreaterThan(100 * 1024 * 1024)

    const streamed = runCapped(ADAPTER, dir, UI)
    expect(streamed.status, streamed.stderr).toBe(0)
    const result = JSON.parse(streamed.stdout) as { resultKB: number }
    expect(result.resultKB).toBeLessThan(1024)
    expect(result).toMatchObject({
      // The prompt, then per screenshot: the feedback, the request's tool result and the answer (with the
      // request's figures).
      messages: 1 + PAIRS * 3,
      first: { role: 'user', kind: 'text', text: 'Look at my screenshots' },
      last: `Screenshot ${PAIRS - 1} shows a dialog.`,
      base64: false,
    })
    expect(runCapped(WHOLE, dir, UI).status).not.toBe(0)
  }, 120_000)
})
