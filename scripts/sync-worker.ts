/**
 * `npm run sync-worker -- --port P --persist-to DIR`: Chronicle's sync remote (sync-worker/) on this machine, under
 * `wrangler dev` with workerd from npm. Fully offline: no login, no metrics, no request to Cloudflare. Prints one
 * line with the URL on stdout once the Worker answers (wrangler's own output goes to stderr), and stops workerd with
 * it on Ctrl-C or SIGTERM: wrangler runs in its own process group, which is signalled as a whole; a watchdog stops
 * that group too when this process is killed outright.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const usage = 'Usage: npm run sync-worker -- --port <1-65535> --persist-to <directory>'
const READY_TIMEOUT_MS = 120_000
/**
 * How long one readiness probe may take. A workerd that has just started compiles the Worker on its first requests,
 * and on a loaded machine (a CI run with clients reconnecting at once) an answer took over 3 s: a shorter probe gives
 * up on every answer and the Worker never counts as ready.
 */
const PROBE_TIMEOUT_MS = 15_000
const STOP_GRACE_MS = 5_000

type Options = { readonly port: number; readonly persistTo: string }

function parseArgs(argv: readonly string[]): Options | string {
  const values = new Map<string, string>()
  for (let i = 0; i < argv.length; i += 2) {
    const [name, value] = [argv[i]!, argv[i + 1]]
    if (name !== '--port' && name !== '--persist-to') return `unknown argument "${name}"`
    if (value === undefined || value.startsWith('--')) return `${name} needs a value`
    if (values.has(name)) return `${name} given twice`
    values.set(name, value)
  }
  const port = values.get('--port')
  const persistTo = values.get('--persist-to')
  if (port === undefined || persistTo === undefined) return 'both --port and --persist-to are required'
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65_535)
    return `--port "${port}" is not 1-65535`
  if (persistTo.trim() === '') return '--persist-to is empty'
  return { port: Number(port), persistTo: resolve(persistTo) }
}

function startWrangler({ port, persistTo }: Options): ChildProcess {
  const wrangler = createRequire(import.meta.url).resolve('wrangler/bin/wrangler.js')
  const args = [
    ...[wrangler, 'dev', '--config', `${root}sync-worker/wrangler.toml`, '--local', '--ip', '127.0.0.1'],
    ...['--port', String(port), '--persist-to', persistTo, '--show-interactive-dev-session=false'],
    // Any free port for the devtools inspector: wrangler's default, 9229, is taken by the first of two local workers
    // (a test's and the bench's), and workerd then fails to bind it and exits.
    ...['--inspector-port', '0'],
  ]
  const env = {
    ...process.env,
    WRANGLER_SEND_METRICS: 'false',
    WRANGLER_SEND_ERROR_REPORTS: 'false',
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    // The banner is where wrangler asks the npm registry for a newer version; offline means not asking.
    WRANGLER_HIDE_BANNER: 'true',
  }
  // Its own process group: stopping it stops workerd too, whatever wrangler does with its children.
  return spawn(process.execPath, args, {
    cwd: `${root}sync-worker`,
    env,
    detached: true,
    stdio: ['ignore', 2, 2],
  })
}

/**
 * A SIGKILL of this script runs none of its handlers, and wrangler's group would go on serving the port. A small
 * watchdog outside both groups waits for this process to end and then stops the group (TERM, then KILL): after a
 * clean stop it finds the group gone and ends.
 */
function watchOver(child: ChildProcess): void {
  const script =
    'while kill -0 "$1" 2>/dev/null; do sleep 1; done; ' +
    'kill -TERM -"$2" 2>/dev/null || exit 0; sleep 5; kill -KILL -"$2" 2>/dev/null; exit 0'
  const watchdog = spawn(
    'sh',
    ['-c', script, 'sync-worker-watchdog', String(process.pid), String(child.pid)],
    {
      detached: true,
      stdio: 'ignore',
    },
  )
  watchdog.unref()
}

/** The Worker answers an unknown path with its own JSON 404: that is this Worker, not something else on the port. */
async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/ready-check`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) })
    const body = (await response.json()) as { error?: unknown }
    return response.status === 404 && body.error === 'not_found'
  } catch {
    return false
  }
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done()
    const group = -child.pid!
    const force = setTimeout(() => signalGroup(group, 'SIGKILL'), STOP_GRACE_MS)
    child.once('exit', () => {
      clearTimeout(force)
      // wrangler may exit before workerd does: make sure nothing of the group is left before returning.
      signalGroup(group, 'SIGKILL')
      void groupGone(group).then(done)
    })
    signalGroup(group, 'SIGTERM')
  })
}

async function groupGone(group: number): Promise<void> {
  for (let waited = 0; waited < STOP_GRACE_MS && signalGroup(group, 0); waited += 20) {
    await new Promise((wait) => setTimeout(wait, 20))
  }
}

/** Whether the group still had a member to signal. */
function signalGroup(group: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(group, signal)
    return true
  } catch {
    return false // the group is gone
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2))
  if (typeof options === 'string') {
    console.error(`sync-worker: ${options}\n${usage}`)
    process.exit(2)
  }
  mkdirSync(options.persistTo, { recursive: true })
  const child = startWrangler(options)
  watchOver(child)
  let stopping = false
  const shutdown = async (code: number) => {
    stopping = true
    await stop(child)
    process.exit(code)
  }
  process.on('SIGINT', () => void shutdown(130))
  process.on('SIGTERM', () => void shutdown(143))
  child.on('exit', (code, signal) => {
    if (stopping) return
    console.error(
      `sync-worker: wrangler exited (${code ?? signal}) before being stopped; see its output above.`,
    )
    void shutdown(1)
  })

  const url = `http://127.0.0.1:${options.port}`
  const started = Date.now()
  while (!(await answers(url))) {
    if (stopping) return
    if (Date.now() - started > READY_TIMEOUT_MS) {
      console.error(`sync-worker: no answer on ${url} after ${READY_TIMEOUT_MS / 1000} s; is the port taken?`)
      return shutdown(1)
    }
    await new Promise((wait) => setTimeout(wait, 100))
  }
  console.log(`Chronicle sync worker ready at ${url} (data in ${options.persistTo}; Ctrl-C stops it)`)
}

await main()
