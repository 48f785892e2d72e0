/**
 * `chronicle serve` comes back on the port of its last launch, so the page's origin (and the store it keeps for
 * that origin) stays the same; when that port is taken it serves on another and says what that costs.
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

const dirs: string[] = []
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))

/** Starts serve, waits for the line with its URL (the readiness signal), stops it; returns the port and stderr. */
async function serveOnce(dataDir: string): Promise<{ port: number; stderr: string }> {
  const child = spawn(process.execPath, ['bin/chronicle.js', 'serve', '--no-watch', '--data-dir', dataDir])
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = ''
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        const match = /at http:\/\/127\.0\.0\.1:(\d+)\//.exec(out)
        if (match?.[1]) resolve(Number(match[1]))
      })
      child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}${stderr}`)))
    })
    return { port, stderr }
  } finally {
    child.kill('SIGTERM')
    await once(child, 'exit')
  }
}

describe('chronicle serve', () => {
  it('listens on the port of its last launch, or (bad input: that port is taken) on another, saying so', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'chronicle-port-'))
    dirs.push(dataDir)
    const first = await serveOnce(dataDir)
    const second = await serveOnce(dataDir)
    expect(second.port).toBe(first.port)
    expect(second.stderr).toBe('')

    const squatter = createServer()
    await new Promise<void>((resolve) => squatter.listen(first.port, '127.0.0.1', resolve))
    try {
      const third = await serveOnce(dataDir)
      expect(third.port).not.toBe(first.port)
      expect(third.stderr).toContain(`Port ${first.port} (the last launch's) is taken`)
    } finally {
      squatter.close()
    }
  }, 60_000)
})
