/**
 * Two machines of one library, made the way a user makes them: `chronicle sync setup URL --json` on A's fresh data
 * directory, `chronicle sync join CODE` on B's; then each runs `chronicle serve` (machine-process.ts). Imports run
 * as `chronicle import` in processes of their own, another writer beside serve, whose bridge turns them into events.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect } from 'vitest'
import { workerdDescendants } from '../../../../sync-worker/test/local-worker'
import { PROJECT_ROOT } from '../../repository/test-support/child-node'
import { ensureRendererBuilt } from '../../web-host/renderer-assets'
import type { SyncStatus } from '../../../shared/api/contract'
import { machineProcess, type MachineProcess } from './machine-process'
import { workerProcess, type WorkerProcess } from './worker-process'

export interface CliRun {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** The real CLI, asynchronously (the serve processes' output keeps flowing meanwhile). */
export function chronicle(args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/chronicle.js', ...args],
      { cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr }),
    )
  })
}

async function succeed(args: readonly string[]): Promise<string> {
  const run = await chronicle(args)
  if (run.code !== 0) throw new Error(`chronicle ${args.join(' ')} exited ${run.code}: ${run.stderr}`)
  return run.stdout
}

/**
 * The sync Worker of a test file, started before its tests and stopped after them with no workerd left; the UI is
 * built first, once, as two serves starting together on a fresh checkout would each build it.
 */
export function useSyncWorker(): () => WorkerProcess {
  const persistTo = mkdtempSync(join(tmpdir(), 'chronicle-two-machines-worker-'))
  let worker: WorkerProcess | undefined
  beforeAll(async () => {
    await ensureRendererBuilt(PROJECT_ROOT, () => undefined)
    worker = await workerProcess(persistTo)
    await worker.start()
  }, 120_000)
  afterAll(async () => {
    await worker?.stop('SIGTERM')
    rmSync(persistTo, { recursive: true, force: true })
    expect(workerdDescendants()).toEqual([])
  })
  return () => {
    if (!worker) throw new Error('the sync worker is not started')
    return worker
  }
}

/** A set up on the worker, B joined with A's pairing code; neither serving yet. */
export async function setUpTwoMachines(
  workerUrl: string,
  dirs: { a: string; b: string },
): Promise<{ a: MachineProcess; b: MachineProcess }> {
  const setup = JSON.parse(await succeed(['sync', 'setup', workerUrl, '--json', '--data-dir', dirs.a])) as {
    pairingCode: string
  }
  await succeed(['sync', 'join', setup.pairingCode, '--data-dir', dirs.b])
  return { a: machineProcess(dirs.a), b: machineProcess(dirs.b) }
}

/** `chronicle import PROJECTS --source claude-code` into a machine's data directory. */
export const importClaudeCode = (dataDir: string, projects: string) =>
  chronicle(['import', projects, '--source', 'claude-code', '--json', '--data-dir', dataDir])

/**
 * Nothing left to do: no repository change not yet an event, no event unconfirmed, the Worker's head held, no body
 * left to store.
 */
export function settled(status: SyncStatus): boolean {
  const remote = status.remote
  return (
    status.repositoryBacklog === 0 &&
    status.unconfirmed === 0 &&
    remote !== null &&
    remote.connection.state === 'connected' &&
    remote.connection.caughtUp &&
    remote.localHead === remote.remoteHead &&
    // The uploader's last announcement (a v1.BodiesPacked) is an event too: one still to come would reach one
    // machine and not the other, if they were stopped now.
    remote.bodies.toStore === 0
  )
}

/** Waits until both machines are settled at the same head, and `also` holds; returns their statuses. */
export async function bothSettled(
  machines: readonly MachineProcess[],
  also: () => boolean = () => true,
  timeoutMs = 120_000,
): Promise<SyncStatus[]> {
  const started = Date.now()
  for (;;) {
    const statuses = await Promise.all(machines.map((m) => m.syncStatus()))
    const heads = new Set(statuses.map((s) => s.remote?.localHead))
    if (statuses.every(settled) && heads.size === 1 && also()) return statuses
    if (Date.now() - started > timeoutMs)
      throw new Error(`the machines did not settle: ${JSON.stringify(statuses.map(brief))}`)
    // Polled gently: the machines under test share the core with this process.
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

const brief = (s: SyncStatus) => ({
  hubHead: s.hubHead,
  backlog: s.repositoryBacklog,
  unconfirmed: s.unconfirmed,
  connection: s.remote?.connection,
  remoteHead: s.remote?.remoteHead,
  localHead: s.remote?.localHead,
})
