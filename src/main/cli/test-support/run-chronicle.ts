import { execFile } from 'node:child_process'

export interface ChronicleRun {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/**
 * Runs the real `chronicle` binary on a data directory, with `stdin` as its input. Asynchronous on purpose: a test's
 * sync Worker (wrangler in the test's own process) must keep answering while the command waits on it.
 */
export function runChronicle(dataDir: string, args: readonly string[], stdin = ''): Promise<ChronicleRun> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['bin/chronicle.js', ...args, '--data-dir', dataDir],
      { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    )
    child.stdin?.end(stdin)
  })
}
