import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface RunningHost {
  readonly url: string
  readonly origin: string
  readonly token: string
  readonly dataDir: string
  /** Stops serve and deletes the data directory, unless it is kept to serve again. */
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

/** Starts the real `chronicle serve` and waits for the line that announces its URL (the readiness signal). */
export async function startWebHost(dataDir: string, env: Record<string, string> = {}): Promise<RunningHost> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['bin/chronicle.js', 'serve', '--no-watch', '--data-dir', dataDir],
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
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token') ?? '',
    dataDir,
    stop: async ({ keepData = false } = {}) => {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
      if (!keepData) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
