/**
 * Runs on its own after the other tests (package.json test:unit): its 40 child processes need the machine's cores.
 *
 * Fault injection: a process importing every sample through the bridge is SIGKILLed at 20 different moments
 * (while booting, importing, bridging, syncing), then started again on the same data directory. Each time, the
 * SQL rows, the main LiveStore store and a fresh client rebuilt from the hub's eventlog must hold the same
 * conversations and message counts as an uninterrupted run, with every message appended to the eventlog exactly
 * once.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { PROJECT_ROOT } from '../repository/test-support/child-node'
import { useScratch } from '../repository/test-support/scratch'

const CHILD = fileURLToPath(new URL('./test-support/bridged-import-child.ts', import.meta.url))
const RUNS = 20
const BOOT_KILLS = 4

const scratch = useScratch()

interface Facts {
  readonly sql: { titles: Record<string, string>; messageCounts: Record<string, number> }
  readonly sqlMessages: number
  readonly main: Facts['sql']
  readonly fresh: Facts['sql']
  readonly appendedIds: number
  readonly distinctAppendedIds: number
  readonly problems: readonly unknown[]
  readonly removals: readonly unknown[]
}

/** When to SIGKILL: so long after the process started, or after it printed BOOTED (its work began). */
type KillAt = { readonly afterSpawnMs: number } | { readonly afterBootedMs: number }

interface ChildRun {
  readonly stdout: string
  readonly bootMs: number
  readonly workMs: number
}

function runChild(dataDir: string, mode: 'import' | 'verify', killAt?: KillAt) {
  return new Promise<ChildRun>((resolve, reject) => {
    const started = Date.now()
    let booted = 0
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, mode], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    let timer: NodeJS.Timeout | undefined
    const kill = (ms: number) => (timer = setTimeout(() => child.kill('SIGKILL'), ms))
    if (killAt && 'afterSpawnMs' in killAt) kill(killAt.afterSpawnMs)
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      if (!booted && stdout.includes('BOOTED')) {
        booted = Date.now()
        if (killAt && 'afterBootedMs' in killAt) kill(killAt.afterBootedMs)
      }
    })
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      const run = {
        stdout,
        bootMs: (booted || Date.now()) - started,
        workMs: booted ? Date.now() - booted : 0,
      }
      if (signal === 'SIGKILL' || code === 0) return resolve(run)
      reject(new Error(`child ${mode} exited ${code}: ${stderr}`))
    })
  })
}

const factsOf = (stdout: string): Facts => JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Facts

describe('SIGKILL during a bridged import', () => {
  it(`converges with nothing lost and nothing duplicated, killed at ${RUNS} different moments`, async () => {
    const clean = await runChild(scratch.dir(), 'verify')
    const expected = factsOf(clean.stdout)
    expect(expected.sqlMessages).toBeGreaterThan(100)
    expect(expected.main).toEqual(expected.sql)
    expect(expected.removals).toEqual([])

    const killedDuring: string[] = []
    // The work takes longer or shorter as the machine's load changes; when a kill meant for the work lands after
    // it, later kill points shrink by this factor (and that run is repeated), so the kills keep hitting the work.
    let scale = 1
    let extraRuns = 0
    for (let run = 0; run < RUNS; run += 1) {
      const dataDir = scratch.dir()
      // A few kills while booting, the rest spread over the first 80% of a clean run's import and bridge work.
      const killAt: KillAt =
        run < BOOT_KILLS
          ? { afterSpawnMs: Math.round(((run + 0.5) / BOOT_KILLS) * clean.bootMs) }
          : {
              afterBootedMs: Math.round(
                ((run - BOOT_KILLS + 0.5) / (RUNS - BOOT_KILLS)) * clean.workMs * 0.8 * scale,
              ),
            }
      const first = await runChild(dataDir, 'import', killAt)
      const phase = first.stdout.includes('DONE')
        ? 'after'
        : first.stdout.includes('BOOTED')
          ? 'work'
          : 'boot'
      killedDuring.push(phase)
      const facts = factsOf((await runChild(dataDir, 'verify')).stdout)
      const where = `run ${run}, killed at ${JSON.stringify(killAt)}`
      // A unit the restarted import could not read or write would explain a difference below: show it first.
      expect(facts.problems, where).toEqual([])
      expect(facts.removals, where).toEqual([])
      expect(facts.sql, where).toEqual(expected.sql)
      expect(facts.main, where).toEqual(facts.sql)
      expect(facts.fresh, where).toEqual(facts.sql)
      expect(facts.distinctAppendedIds, where).toBe(facts.appendedIds)
      expect(facts.appendedIds, where).toBe(expected.sqlMessages)
      if (phase === 'after' && run >= BOOT_KILLS && extraRuns < 4) {
        scale *= 0.6
        extraRuns += 1
        run -= 1
      }
    }
    // The kills landed in booting and in the import/bridge work, not only after it.
    expect(killedDuring.filter((phase) => phase === 'work').length).toBeGreaterThanOrEqual(10)
  }, 600_000)
})
