/**
 * `chronicle serve --open` as a user runs it: the browser opener (a stand-in `xdg-open` first on PATH, which records
 * its command line) is given a file, never the launch token, and every file and folder in the data directory,
 * LiveStore's included, is the user's alone. Bad input: a data directory that other users could enter (0755).
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { notPrivate } from '../test-support/not-private'

const dirs: string[] = []
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))

async function until<T>(check: () => T | undefined, what: string, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe.runIf(process.platform === 'linux')('chronicle serve --open', () => {
  it('opens a 0600 redirect file, puts the token on no command line, and keeps every file private', async () => {
    const root = mkdtempSync(join(tmpdir(), 'chronicle-open-'))
    dirs.push(root)
    const bin = join(root, 'bin')
    const record = join(root, 'xdg-open.argv')
    mkdirSync(bin)
    writeFileSync(
      join(bin, 'xdg-open'),
      `#!/bin/sh\nprintf '%s\\n' "$0" "$@" > "${record}.tmp" && mv "${record}.tmp" "${record}"\n`,
    )
    chmodSync(join(bin, 'xdg-open'), 0o755)
    const dataDir = join(root, 'data')
    mkdirSync(dataDir, { mode: 0o755 })
    chmodSync(dataDir, 0o755)

    const child = spawn(
      process.execPath,
      ['bin/chronicle.js', 'serve', '--open', '--no-watch', '--port', '0', '--data-dir', dataDir],
      { env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, CHRONICLE_DATA_DIR: '' } },
    )
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    try {
      const argv = await until(
        () => (existsSync(record) ? readFileSync(record, 'utf8') : undefined),
        'the opener',
      )
      const url = /at (http:\/\/127\.0\.0\.1:\d+\/\?token=([\w-]+))/.exec(out)
      const token = url?.[2] ?? 'no token printed'
      expect(url).not.toBeNull()
      expect(argv).not.toContain(token)
      const opened = argv.trimEnd().split('\n').at(-1) ?? ''
      expect(opened).toBe(join(dataDir, `open-${child.pid}.html`))
      expect(readFileSync(opened, 'utf8')).toContain(url?.[1])
      expect(notPrivate(dataDir)).toEqual([])
      child.kill('SIGTERM')
      await once(child, 'exit')
      expect(existsSync(opened)).toBe(false)
    } finally {
      child.kill('SIGKILL')
    }
  }, 90_000)
})
