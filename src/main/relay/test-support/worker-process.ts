/**
 * The sync Worker as a user starts it (`npm run sync-worker -- --port P --persist-to DIR`: wrangler dev, workerd),
 * in a process of its own, stopped and started again on the same port and storage. Two ways to stop it:
 * - 'SIGTERM': Ctrl-C as scripts/sync-worker.ts handles it (wrangler and workerd stopped as a group);
 * - 'SIGKILL': a crash of the Worker itself: wrangler's process group (workerd included) is SIGKILLed, so workerd
 *   dies wherever it was in a write; the script sees wrangler gone and exits. The workerd processes it had are
 *   checked gone (none left running against the storage).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { workerdDescendants } from '../../../../sync-worker/test/local-worker'
import { PROJECT_ROOT } from '../../repository/test-support/child-node'
import { until } from '../../hub/test-support/until'
import { freePort } from '../../test-support/free-port'

export interface WorkerProcess {
  readonly url: string
  start(): Promise<void>
  stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>
}

export async function workerProcess(persistTo: string): Promise<WorkerProcess> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  let child: ChildProcess | null = null
  return {
    url,
    async start() {
      if (child) return
      const started = spawn(
        process.execPath,
        ['--import', 'tsx', 'scripts/sync-worker.ts', '--port', String(port), '--persist-to', persistTo],
        { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
      )
      child = started
      let output = ''
      await new Promise<void>((resolve, reject) => {
        started.stdout?.on('data', (chunk: Buffer) => {
          output += chunk.toString()
          if (output.includes(url)) resolve()
        })
        started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
        started.once('exit', (code) => reject(new Error(`the sync worker exited with ${code}: ${output}`)))
        setTimeout(
          () => reject(new Error(`the sync worker did not start in 150 s: ${output}`)),
          // Longer than the script's own 120 s, so that its message, not this one, says why.
          150_000,
        ).unref()
      })
    },
    async stop(signal) {
      const running = child
      if (!running?.pid) return
      child = null
      const exited = new Promise((resolve) => running.once('exit', resolve))
      if (signal === 'SIGTERM') {
        running.kill('SIGTERM')
        return void (await exited)
      }
      const workerd = workerdDescendants(running.pid)
      // wrangler is the script's child, the leader of its own process group (scripts/sync-worker.ts).
      for (const wrangler of childrenOf(running.pid)) process.kill(-wrangler, 'SIGKILL')
      await exited
      await until(
        () => workerd.filter(alive),
        (left) => left.length === 0,
        10_000,
      )
    },
  }
}

function childrenOf(parent: number): number[] {
  const children: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === parent) children.push(Number(entry))
    } catch {
      // gone while we looked
    }
  }
  return children
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
  } catch {
    return false
  }
}
