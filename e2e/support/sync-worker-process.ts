import { spawn, type ChildProcess } from 'node:child_process'
import { freePort } from '../../src/main/test-support/free-port'

/**
 * The sync worker as a user starts it (`npm run sync-worker`, wrangler dev in workerd), in a process of its own so
 * that this one can block on the CLI meanwhile. `stop()` ends it as Ctrl-C would; `start()` brings it back on the
 * same port and storage: what a machine sees when its worker goes away and returns.
 */
export interface SyncWorkerProcess {
  readonly url: string
  stop(): Promise<void>
  start(): Promise<void>
}

export async function startSyncWorker(persistTo: string): Promise<SyncWorkerProcess> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  let child: ChildProcess | null = null
  const start = async () => {
    if (child) return
    const started = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/sync-worker.ts', '--port', String(port), '--persist-to', persistTo],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    child = started
    let output = ''
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString()
        if (output.includes(url)) resolve()
      }
      started.stdout?.on('data', onData)
      started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
      started.once('exit', (code) => reject(new Error(`the sync worker exited with ${code}: ${output}`)))
    })
  }
  await start()
  return {
    url,
    start,
    async stop() {
      const running = child
      if (!running) return
      child = null
      const exited = new Promise((resolve) => running.once('exit', resolve))
      running.kill('SIGTERM')
      await exited
    },
  }
}
