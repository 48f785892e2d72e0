import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { Log } from '../logger'

export const rendererDir = (packageRoot: string): string => join(packageRoot, 'out', 'renderer')

/** What of a failed build's output goes into the error: its end says why. */
const ERROR_TAIL_CHARS = 4_000

/**
 * `chronicle serve` right after `npm install` has no built UI yet: build it once with Vite (a few seconds).
 * `npm start` rebuilds every time, so a developer never sees a stale page.
 *
 * The build runs in a child process: Vite and Rollup grow a process by about a gigabyte, which V8 and malloc keep
 * for as long as the process lives, and the serving process lives for days.
 */
export async function ensureRendererBuilt(packageRoot: string, say: Log): Promise<string> {
  const dir = rendererDir(packageRoot)
  if (existsSync(join(dir, 'index.html'))) return dir
  say('Building the Chronicle UI (first run only)…')
  await buildRenderer(packageRoot, say)
  if (!existsSync(join(dir, 'index.html')))
    throw new Error(`Building the Chronicle UI made no ${join(dir, 'index.html')}`)
  return dir
}

/**
 * Builds the UI into out/renderer with Vite, in a child process (see ensureRendererBuilt). The bench calls it
 * before it serves the page, so it measures the page of the checkout and not an older build.
 */
export async function buildRenderer(packageRoot: string, say: Log): Promise<void> {
  const vite = viteCli(packageRoot)
  const args = [vite, 'build', '--config', join(packageRoot, 'vite.renderer.config.ts'), '--logLevel', 'warn']
  // ELECTRON_RUN_AS_NODE: should Electron's binary ever run this, the child is Node, not a second app.
  const child = spawn(process.execPath, args, {
    cwd: packageRoot,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-ERROR_TAIL_CHARS)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const exit = await new Promise<{ code: number | null; signal: string | null }>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal }))
  })
  const said = output.trim()
  if (exit.code === 0) {
    // Warnings only (--logLevel warn): worth a look, not a failure.
    if (said) say(said)
    return
  }
  throw new Error(
    `Building the Chronicle UI failed (vite build exited with ${exit.code ?? exit.signal}); run ` +
      '`npm run build:renderer` in the Chronicle folder to see the whole output' +
      (said ? `. Its last lines:\n${said}` : ''),
  )
}

/** Vite's command-line entry, as installed with this package. */
function viteCli(packageRoot: string): string {
  const require = createRequire(join(packageRoot, 'package.json'))
  try {
    return join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js')
  } catch (error) {
    throw new Error(
      'Building the Chronicle UI needs Vite, which is not installed here: run `npm install` in the Chronicle ' +
        'folder (development dependencies included)',
      { cause: error },
    )
  }
}
