/**
 * One machine of a two-machine test: `chronicle serve --no-watch` on its data directory, in a process of its own, as
 * a user runs it. It can be SIGKILLed at any moment and started again on the same data directory; its sync status
 * is read through the web host's API with the launch token it printed (what the page asks).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { PROJECT_ROOT } from '../../repository/test-support/child-node'
import type { SyncStatus } from '../../../shared/api/contract'

export interface MachineProcess {
  readonly dataDir: string
  /** Starts serve and resolves once it printed its URL (its readiness line); rejects if it exits first. */
  start(): Promise<void>
  /** Sends `signal` and resolves once the process is gone. */
  stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>
  /** Whether serve was started and not stopped since. */
  readonly running: () => boolean
  syncStatus(): Promise<SyncStatus>
  /** Everything serve printed, every run. */
  output(): string
}

const URL_LINE = /at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/

export function machineProcess(dataDir: string): MachineProcess {
  let child: ChildProcess | null = null
  let url: URL | null = null
  let output = ''
  return {
    dataDir,
    running: () => child !== null,
    output: () => output,
    async start() {
      if (child) return
      const started = spawn(
        process.execPath,
        ['bin/chronicle.js', 'serve', '--no-watch', '--data-dir', dataDir],
        { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
      )
      child = started
      url = null
      let run = ''
      url = await new Promise<URL>((resolve, reject) => {
        const onData = (chunk: Buffer) => {
          run += chunk.toString()
          output += chunk.toString()
          const match = URL_LINE.exec(run)
          if (match?.[1]) resolve(new URL(match[1]))
        }
        started.stdout?.on('data', onData)
        started.stderr?.on('data', onData)
        started.once('exit', (code, signal) => {
          if (child === started) child = null
          reject(new Error(`chronicle serve exited (${code ?? signal}) before it served: ${run}`))
        })
        setTimeout(() => reject(new Error(`chronicle serve did not serve in 60 s: ${run}`)), 60_000).unref()
      })
    },
    async stop(signal) {
      const running = child
      if (!running) return
      child = null
      url = null
      if (running.exitCode !== null || running.signalCode !== null) return
      const exited = new Promise((resolve) => running.once('exit', resolve))
      running.kill(signal)
      await exited
    },
    async syncStatus() {
      if (!url) throw new Error(`chronicle serve on ${dataDir} is not running`)
      const response = await fetch(`${url.origin}/api/syncStatus`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${url.searchParams.get('token')}`,
          'Content-Type': 'application/json',
        },
        body: '{}',
        signal: AbortSignal.timeout(10_000),
      })
      const answer = (await response.json()) as { ok: boolean; value: SyncStatus }
      if (!answer.ok) throw new Error(`syncStatus failed: ${JSON.stringify(answer)}`)
      return answer.value
    },
  }
}
