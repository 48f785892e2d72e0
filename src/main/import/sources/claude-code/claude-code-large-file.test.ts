/** Big files are streamed: memory follows what is kept (text, references), not the size of the file. */
import { createWriteStream } from 'node:fs'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contentsOf } from '../../source-adapter'
import { makeClaudeCodeAdapter } from './index'
import { SESSION, assistantLine, readFile, tempProject, userLine, type TempProject } from './test-session'

let project: TempProject
beforeAll(() => {
  project = tempProject()
})
afterAll(() => project.remove())

// Measure what is retained, not garbage not yet collected: a fresh context exposes gc once the flag is set.
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

const FILE_BYTES = 50 * 1024 * 1024
const IMAGE_BYTES = 48 * 1024

/** Pairs of a prompt with a pasted screenshot and an answer, until the file reaches FILE_BYTES. */
async function writeBigSession(path: string): Promise<number> {
  const out = createWriteStream(path)
  const data = Buffer.alloc(IMAGE_BYTES, 1).toString('base64')
  let written = 0
  let pairs = 0
  while (written < FILE_BYTES) {
    const image = { type: 'image', source: { type: 'base64', media_type: 'image/png', data } }
    const prompt = userLine(`u${pairs}`, pairs ? `a${pairs - 1}` : null, [
      { type: 'text', text: `shot ${pairs}` },
      image,
    ])
    const answer = assistantLine(`a${pairs}`, `u${pairs}`, [{ type: 'text', text: `seen ${pairs}` }])
    const chunk = `${JSON.stringify(prompt)}\n${JSON.stringify(answer)}\n`
    written += Buffer.byteLength(chunk)
    pairs += 1
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()))
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  )
  return pairs
}

describe('claude code large files', () => {
  it('reads a 50 MB session with heap growth far below the file size', async () => {
    const path = project.write(`${SESSION}.jsonl`, '')
    const pairs = await writeBigSession(path)
    gc()
    const before = process.memoryUsage().heapUsed
    const [c] = await readFile(makeClaudeCodeAdapter(), path)
    gc()
    const growth = process.memoryUsage().heapUsed - before
    expect(c?.messages).toHaveLength(pairs * 2)
    expect(c?.messages[0]?.text).toBe('shot 0\n\n[image image/png, 48 KB]')
    // The result is still alive here: the messages keep their text and image references, not the base64.
    expect(growth).toBeLessThan(FILE_BYTES / 10)
  })

  it('reports a line over the cap instead of parsing it', async () => {
    const path = project.write(
      'capped.jsonl',
      [
        JSON.stringify(userLine('u1', null, 'short')),
        JSON.stringify(userLine('u2', 'u1', 'x'.repeat(4096))),
        JSON.stringify(assistantLine('a1', 'u1', [{ type: 'text', text: 'ok' }])),
      ].join('\n') + '\n',
    )
    const adapter = makeClaudeCodeAdapter({ maxLineBytes: 1024 })
    const [c] = await readFile(adapter, path)
    expect(c?.messages.map((m) => m.text)).toEqual(['short', 'ok'])
    expect(c?.conversation.metadata).toMatchObject({ oversizedLines: 1 })
    const read = await adapter.readUnit({ key: path, source: 'claude-code', files: [path] })
    expect(contentsOf(read).problems).toEqual([
      {
        path,
        reason: '1 line longer than 1 KiB: skipped, the rest of the session imported',
        retryable: false,
      },
    ])
  })
})
