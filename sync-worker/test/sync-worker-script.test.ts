/**
 * `npm run sync-worker`: refuses bad arguments with its usage (exit 2), and otherwise starts the real Worker under
 * `wrangler dev`, prints one line with its URL once it answers, and on SIGTERM stops with nothing left running.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it, onTestFinished } from 'vitest'
import { until } from '../../src/main/hub/test-support/until'
import { workerdDescendants } from './local-worker'
import { freePort } from '../../src/main/test-support/free-port'

const root = fileURLToPath(new URL('../..', import.meta.url))
const script = [process.execPath, '--import', 'tsx', 'scripts/sync-worker.ts'] as const
const scratch = mkdtempSync(join(tmpdir(), 'chronicle-sync-worker-script-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

function run(args: readonly string[]) {
  const [node, ...rest] = script
  return spawnSync(node, [...rest, ...args], { cwd: root, encoding: 'utf8', timeout: 20_000 })
}

describe('npm run sync-worker', () => {
  it.each([
    [[], 'both --port and --persist-to are required'],
    [['--port', '0', '--persist-to', scratch], '--port "0" is not 1-65535'],
    [['--port', '8787', '--persist-to'], '--persist-to needs a value'],
    [['--port', '8787', '--persist-to', scratch, '--remote'], 'unknown argument "--remote"'],
  ])('refuses %j with its usage and exit 2', (args, reason) => {
    const result = run(args)
    expect(result.status).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain(reason)
    expect(result.stderr).toContain('Usage: npm run sync-worker -- --port <1-65535> --persist-to <directory>')
  })

  it('prints its URL once the Worker answers, and leaves no process behind on SIGTERM', async () => {
    const port = await freePort()
    const [node, ...rest] = script
    const child = spawn(node, [...rest, '--port', String(port), '--persist-to', join(scratch, 'data')], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    onTestFinished(() => void child.kill('SIGTERM')) // also when an assertion fails: never leave wrangler running

    const printed = (text: string) => text.includes('\n')
    await until(() => stdout, printed, 40_000).catch((error: unknown) => {
      throw new Error(`no URL line; the script's stderr ends with:\n${stderr.slice(-2_000)}`, {
        cause: error,
      })
    })
    const url = `http://127.0.0.1:${port}`
    expect(stdout.trim().split('\n')).toHaveLength(1)
    expect(stdout).toContain(url)
    const answer = await fetch(`${url}/anything`)
    expect([answer.status, ((await answer.json()) as { error: string }).error]).toEqual([404, 'not_found'])
    const workerds = workerdDescendants(child.pid)
    expect(workerds.length).toBeGreaterThan(0)

    child.kill('SIGTERM')
    expect(await exited).toBe(143)
    expect(workerds.filter(isRunning)).toEqual([])
    await expect(fetch(url)).rejects.toThrow()
  }, 60_000)
})

describe('npm run sync-worker killed outright', () => {
  it('leaves no process behind and frees its port within seconds of a SIGKILL (bad input: kill -9)', async () => {
    const port = await freePort()
    const [node, ...rest] = script
    const child = spawn(node, [...rest, '--port', String(port), '--persist-to', join(scratch, 'killed')], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
    let stdout = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    onTestFinished(() => void child.kill('SIGTERM'))
    await until(
      () => stdout,
      (text) => text.includes('\n'),
      40_000,
    )
    const workerds = workerdDescendants(child.pid)
    expect(workerds.length).toBeGreaterThan(0)

    child.kill('SIGKILL')
    await until(
      () => workerds.filter(isRunning),
      (left) => left.length === 0,
      15_000,
    )
    await expect(fetch(`http://127.0.0.1:${port}`)).rejects.toThrow()
  }, 60_000)
})

/** A process that exists and is not a zombie waiting for init to reap it. */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}
