import { spawn, spawnSync } from 'node:child_process'
import { join } from 'node:path'

/** The real sample files beside the repository (../shared/samples). */
export const SAMPLE_SOURCES = [
  join('..', 'shared', 'samples', 'roo-code', 'tasks'),
  join('..', 'shared', 'samples', 'claude-code', 'projects'),
  join('..', 'shared', 'samples', 'cline-sdk', 'sessions'),
]

/** Runs the real CLI in its own process: another writer of the repository, as an assistant's import would be. */
export function chronicle(args: readonly string[]) {
  const run = spawnSync(process.execPath, ['bin/chronicle.js', ...args], { encoding: 'utf8' })
  if (run.status !== 0) throw new Error(`chronicle ${args.join(' ')} failed (${run.status}): ${run.stderr}`)
  return run.stdout
}

/** Runs the real CLI without waiting for it, so the test can act while it writes; resolves with its output. */
export function chronicleInBackground(args: readonly string[]): Promise<string> {
  const run = spawn(process.execPath, ['bin/chronicle.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  run.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  run.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve, reject) =>
    run.once('exit', (code) =>
      code === 0
        ? resolve(stdout)
        : reject(new Error(`chronicle ${args.join(' ')} failed (${code}): ${stderr}`)),
    ),
  )
}
