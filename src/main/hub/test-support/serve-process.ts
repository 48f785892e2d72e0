/**
 * `serve-child.ts` started as a process of its own: an input that crashes the host shows as this process exiting,
 * with its stderr kept to say why.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'

const PACKAGE_ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
const ENTRY = fileURLToPath(new URL('./serve-child.ts', import.meta.url))

export interface ServeProcess {
  readonly origin: string
  readonly port: number
  readonly token: string
  readonly child: ChildProcess
  alive(): boolean
  /** Waits up to `ms` for the process to exit (it may still be dying when its socket closes): true if it did. */
  exitedWithin(ms: number): Promise<boolean>
  /** The last of what the process wrote to stderr (a crash's stack). */
  stderr(): string
  stop(): Promise<void>
}

export async function startServeProcess(dataDir: string): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, dataDir], {
    cwd: PACKAGE_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let err = ''
  child.stderr.on('data', (chunk: Buffer) => (err = (err + chunk.toString()).slice(-8_000)))
  const url = await new Promise<URL>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = /serving (http:\/\/\S+)/.exec(out)
      if (match?.[1]) resolve(new URL(match[1]))
    })
    child.once('exit', (code) => reject(new Error(`the serve process exited ${code} before serving: ${err}`)))
  })
  const alive = () => child.exitCode === null && child.signalCode === null
  return {
    origin: url.origin,
    port: Number(url.port),
    token: url.searchParams.get('token') ?? '',
    child,
    alive,
    exitedWithin: (ms) =>
      new Promise<boolean>((resolve) => {
        if (!alive()) return resolve(true)
        const exited = () => {
          clearTimeout(timer)
          resolve(true)
        }
        const timer = setTimeout(() => {
          child.off('exit', exited)
          resolve(!alive())
        }, ms)
        child.once('exit', exited)
      }),
    stderr: () => err,
    async stop() {
      if (!alive()) return
      child.kill('SIGTERM')
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await once(child, 'exit')
      clearTimeout(killer)
    },
  }
}
