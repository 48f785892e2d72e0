/** `chronicle serve` keeps the repository current: it imports from the default locations it finds in HOME. */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openRepository } from '../repository/repository'

const dirs: string[] = []
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))

const line = (uuid: string, text: string) =>
  JSON.stringify({
    type: 'user',
    uuid,
    parentUuid: null,
    sessionId: 'live',
    cwd: '/home/ada/api',
    timestamp: '2025-05-01T10:00:00.000Z',
    message: { role: 'user', content: text },
  }) + '\n'

describe('chronicle serve', () => {
  it('imports live from ~/.claude/projects while serving', async () => {
    const home = mkdtempSync(join(tmpdir(), 'chronicle-home-'))
    dirs.push(home)
    const project = join(home, '.claude', 'projects', '-home-ada-api')
    mkdirSync(project, { recursive: true })
    writeFileSync(join(project, 'live.jsonl'), line('u1', 'hello there'))
    const child = spawn(process.execPath, ['bin/chronicle.js', 'serve', '--data-dir', join(home, 'data')], {
      env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), CLAUDE_CONFIG_DIR: '' },
    })
    try {
      const url = await new Promise<URL>((resolve, reject) => {
        let out = ''
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString()
          const match = /at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out)
          if (match?.[1] && out.includes('Importing live from')) resolve(new URL(match[1]))
        })
        child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)))
      })
      const messages = async () => {
        const response = await fetch(`${url.origin}/api/stats`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${url.searchParams.get('token')}`,
            'Content-Type': 'application/json',
          },
          body: '{}',
        })
        return ((await response.json()) as { value: { totals: { messages: number } } }).value.totals.messages
      }
      // Readiness: the API reports the imported message; bounded, not a fixed sleep.
      const until = async (count: number) => {
        const deadline = Date.now() + 5_000
        while ((await messages()) < count) {
          if (Date.now() > deadline) throw new Error(`still fewer than ${count} messages`)
          await new Promise((resolve) => setTimeout(resolve, 50))
        }
      }
      await until(1)
      writeFileSync(join(project, 'live.jsonl'), line('u1', 'hello there') + line('u2', 'and again'))
      const appended = Date.now()
      await until(2)
      expect(Date.now() - appended).toBeLessThan(1_000)
    } finally {
      child.kill('SIGTERM')
      await once(child, 'exit')
    }
    // Each import run that wrote something is in the audit trail, as a started and a finished event.
    const repo = openRepository({ dataDir: join(home, 'data') })
    try {
      const runs = await repo.db
        .selectFrom('hub_events')
        .select(['name', 'args'])
        .where('name', 'in', ['v1.ImportStarted', 'v1.ImportFinished'])
        .orderBy('seq')
        .execute()
      const finished = runs
        .filter((r) => r.name === 'v1.ImportFinished')
        .map((r) => JSON.parse(r.args) as { messages: { added: number } })
      expect(runs.filter((r) => r.name === 'v1.ImportStarted')).toHaveLength(finished.length)
      expect(finished.reduce((n, f) => n + f.messages.added, 0)).toBe(2)
    } finally {
      await repo.close()
    }
  })
})
