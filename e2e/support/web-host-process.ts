import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from '@playwright/test'

export interface RunningHost {
  readonly url: string
  readonly origin: string
  readonly token: string
  readonly dataDir: string
  /** What serve printed and the end of its log file: what a failure report needs from the other process. */
  logTail(lines?: number): string
  /**
   * Stops serve and deletes the data directory, unless it is kept to serve again. Stopped after a test that failed,
   * it first attaches `logTail()` to the test, so that the report (CI prints it) says what serve was doing.
   */
  stop(options?: { readonly keepData?: boolean }): Promise<void>
}

/** A fresh, empty data directory. */
export const emptyDataDir = (): string => mkdtempSync(join(tmpdir(), 'chronicle-e2e-'))

/** A fresh data directory, seeded with the fixture conversations. */
export function seededDataDir(): string {
  const dataDir = emptyDataDir()
  const seeded = spawnSync(process.execPath, ['--import', 'tsx', 'e2e/support/seed-repository.ts', dataDir], {
    encoding: 'utf8',
  })
  if (seeded.status !== 0) throw new Error(`seeding failed: ${seeded.stderr}`)
  return dataDir
}

/**
 * Starts the real `chronicle serve` and waits for the line that announces its URL (the readiness signal).
 * `nodeArgs`: flags for Node itself (a bench's CPU profile: bench/lib/cpu-profiles.ts).
 */
export async function startWebHost(
  dataDir: string,
  env: Record<string, string> = {},
  nodeArgs: readonly string[] = [],
): Promise<RunningHost> {
  const child: ChildProcess = spawn(
    process.execPath,
    [...nodeArgs, 'bin/chronicle.js', 'serve', '--no-watch', '--data-dir', dataDir],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    },
  )
  let output = ''
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output)
      if (match?.[1]) resolve(match[1])
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code) => reject(new Error(`chronicle serve exited with ${code}: ${output}`)))
  })
  const parsed = new URL(url)
  const logFile = join(dataDir, 'logs', 'chronicle.log')
  const logTail = (lines = 80) => {
    const logged = existsSync(logFile) ? readFileSync(logFile, 'utf8').trimEnd().split('\n') : []
    return `${output.trimEnd()}\n--- ${logFile}, last ${lines} lines ---\n${logged.slice(-lines).join('\n')}`
  }
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token') ?? '',
    dataDir,
    logTail,
    stop: async ({ keepData = false } = {}) => {
      await attachAfterFailure(`chronicle serve --data-dir ${dataDir}`, logTail)
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
      if (!keepData) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Attaches a text to the running test, and prints it, when it failed; outside a test (a suite's hooks), does nothing. */
async function attachAfterFailure(name: string, text: () => string) {
  let info: ReturnType<typeof test.info>
  try {
    info = test.info()
  } catch {
    return
  }
  if (info.status === info.expectedStatus) return
  const body = text()
  await info.attach(name, { body, contentType: 'text/plain' })
  // The list reporter shortens an attachment it prints; a test's own output it prints whole.
  console.log(`--- ${name} ---\n${body}`)
}
