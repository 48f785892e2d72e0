/**
 * Other processes for tests that need a second SQLite connection the repository does not own: a plain
 * better-sqlite3 writer, a lock holder, or a user without root's permission bypass.
 */
import { spawn, spawnSync, type ChildProcess, type SpawnSyncOptions } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'

/** The project root: child scripts run here so `require('better-sqlite3')` and `--import tsx` resolve. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../../../', import.meta.url))

export interface ChildResult {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs a CommonJS script to completion; values reach it through env (DB_FILE and so on). */
export function runNodeScript(
  script: string,
  env: Record<string, string> = {},
  options: SpawnSyncOptions & { readonly typescript?: boolean } = {},
): ChildResult {
  const args = options.typescript ? ['--import', 'tsx', '--input-type=module', '-e', script] : ['-e', script]
  const result = spawnSync(process.execPath, args, {
    ...options,
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 20_000,
  })
  return { status: result.status, stdout: String(result.stdout), stderr: String(result.stderr) }
}

export interface RunningChild {
  readonly child: ChildProcess
  /** SIGKILLs the child (no chance to clean up, like a crash) and waits until it is gone. */
  kill(): Promise<void>
}

/** Starts a CommonJS script and resolves once it prints `ready` on a line of its own. */
export async function startNodeScript(
  script: string,
  env: Record<string, string>,
  ready = 'READY',
): Promise<RunningChild> {
  const child = spawn(process.execPath, ['-e', script], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      if (stdout.split('\n').includes(ready)) resolve()
    })
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before ${ready}: ${stderr}`)))
  })
  return {
    child,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = once(child, 'exit')
      child.kill('SIGKILL')
      await exited
    },
  }
}
