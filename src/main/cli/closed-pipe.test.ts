/**
 * `chronicle stats | head`: a command whose reader has gone ends quietly, with no EPIPE stack trace. The bad input is
 * a pipe whose reading end is closed before the command writes, so every write the command makes fails.
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

const dirs: string[] = []
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronicle-pipe-'))
  dirs.push(dir)
  return dir
}

/** Runs the real binary with its stdout (or stderr) read by nobody. */
async function withReaderGone(args: string[], gone: 'stdout' | 'stderr') {
  const child = spawn(process.execPath, ['bin/chronicle.js', ...args], {
    env: { ...process.env, CHRONICLE_DATA_DIR: '', NO_COLOR: '1' },
  })
  child[gone].destroy()
  let said = ''
  child[gone === 'stdout' ? 'stderr' : 'stdout'].on('data', (chunk: Buffer) => (said += chunk.toString()))
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null]
  return { code, signal, said }
}

describe('a command whose reader goes away', () => {
  it('stats ends with code 0 and says nothing on stderr', async () => {
    const result = await withReaderGone(['stats', '--data-dir', join(tempDir(), 'data')], 'stdout')
    expect(result.said).not.toMatch(/EPIPE|at .*\.ts:\d+/)
    expect(result).toEqual({ code: 0, signal: null, said: '' })
  })

  it('a usage error whose stderr is closed ends without a stack trace', async () => {
    const result = await withReaderGone(['no-such-command'], 'stderr')
    expect(result.said).toBe('')
    expect(result.signal).toBeNull()
    expect([0, 2]).toContain(result.code)
  })

  it('serve stops as on Ctrl-C: code 0, and the hub address it wrote is removed', async () => {
    const dataDir = join(tempDir(), 'data')
    const result = await withReaderGone(
      ['serve', '--no-watch', '--port', '0', '--data-dir', dataDir],
      'stdout',
    )
    expect(result).toEqual({ code: 0, signal: null, said: '' })
    expect(existsSync(join(dataDir, 'chronicle.sqlite'))).toBe(true)
    expect(existsSync(join(dataDir, 'hub.json'))).toBe(false)
  }, 90_000)
})
