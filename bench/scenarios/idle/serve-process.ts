/**
 * A real `chronicle serve` in a process of its own (the CLI, as a user starts it), with its own HOME so the default
 * locations it watches are the ones the scenario made, and a way to know when it has nothing left to do.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'

const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url))

export interface ServeProcess {
  readonly pid: number
  /** Change-feed rows not yet made into events, as the page's sync indicator asks for them. */
  backlog(): Promise<number>
  stop(): Promise<void>
}

export async function startServe(options: {
  readonly dataDir: string
  readonly home: string
  readonly watch: boolean
}): Promise<ServeProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: options.home }
  // Discovery reads these before HOME: unset, every default location lies under the scenario's home.
  delete env.XDG_CONFIG_HOME
  delete env.CLAUDE_CONFIG_DIR
  const child: ChildProcess = spawn(
    process.execPath,
    ['bin/chronicle.js', 'serve', ...(options.watch ? [] : ['--no-watch']), '--data-dir', options.dataDir],
    { cwd: PACKAGE_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let output = ''
  const url = await new Promise<URL>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output)
      if (match?.[1]) resolve(new URL(match[1]))
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code) => reject(new Error(`chronicle serve exited with ${code}: ${output}`)))
  })
  const token = url.searchParams.get('token') ?? ''
  return {
    pid: child.pid ?? 0,
    async backlog() {
      const response = await fetch(`${url.origin}/api/syncStatus`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: '{}',
      })
      const status = (await response.json()) as { ok: boolean; value?: { repositoryBacklog: number } }
      if (!status.ok || status.value === undefined)
        throw new Error(`syncStatus failed: ${JSON.stringify(status)}`)
      return status.value.repositoryBacklog
    },
    async stop() {
      if (child.exitCode !== null) return
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      await exited
    },
  }
}
