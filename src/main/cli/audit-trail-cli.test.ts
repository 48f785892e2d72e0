/**
 * The audit trail is complete from the command line (the real binary in child processes, real sample files):
 * `chronicle import` with no app running, then `chronicle audit export`, exports the import's events and says up
 * to which change of the repository the trail holds; `audit verify --db` checks a chain that includes them. With
 * `chronicle serve` holding the library, the export waits for serve's bridge instead of running a second one; a
 * holder that brings nothing in (bad input: a lock held by a process that is not Chronicle) makes the catch-up
 * give up with a message naming it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { bringTrailUpToDate, TrailCatchUpError } from '../audit/trail-catch-up'
import { LOCK_FILE } from '../data-dir-lock'
import { samplesDir } from '../import/test-support/samples'
import { useScratch } from '../repository/test-support/scratch'
import { loadDeviceIdentity } from '../sync/device-identity'

const scratch = useScratch()
const ROO_TASK = samplesDir('roo-code', 'tasks', 'bc93a6f7-cd2e-4686-a832-46e3cd14d338')

function chronicle(dataDir: string, args: string[]) {
  const result = spawnSync(process.execPath, ['bin/chronicle.js', ...args, '--data-dir', dataDir], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

interface ExportJson {
  readonly digest: {
    readonly records: { readonly count: number }
    readonly repository: { readonly changesCovered: number; readonly changesHead: number }
  }
  readonly file: string
}

function exportedNames(file: string): string[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { action: string }).action)
}

async function startedServe(dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [
    '--import',
    'tsx',
    'src/main/hub/test-support/serve-child.ts',
    dataDir,
  ])
  scratch.defer(
    () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  )
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('serving ')) resolve()
    })
    child.once('exit', (code) => reject(new Error(`serve-child exited with ${code}`)))
  })
  return child
}

describe('the audit trail from the command line', { timeout: 120_000 }, () => {
  it('an import with no app running is in the next export, which states the change it covers up to', () => {
    const dataDir = scratch.dir()
    const imported = chronicle(dataDir, ['import', ROO_TASK, '--json'])
    expect(imported.code).toBe(0)

    const out = join(dataDir, 'trail.ndjson')
    const exported = chronicle(dataDir, ['audit', 'export', '--out', out, '--json'])
    expect(exported.stderr).toBe('')
    expect(exported.code).toBe(0)
    const { digest } = JSON.parse(exported.stdout) as ExportJson
    const names = exportedNames(out)
    expect(names).toContain('v1.ConversationImported')
    expect(names).toContain('v1.MessagesAppended')
    expect(digest.records.count).toBe(names.length)
    expect(digest.repository.changesCovered).toBeGreaterThan(0)
    expect(digest.repository.changesCovered).toBe(digest.repository.changesHead)

    // Nothing new: a second export brings nothing in and holds the same events.
    const again = chronicle(dataDir, ['audit', 'export', '--out', join(dataDir, 'again.ndjson')])
    expect(again.code).toBe(0)
    expect(again.stdout).toContain(`Exported ${names.length} events`)
    expect(again.stdout).toContain(
      `The trail holds every change to the repository up to change ${digest.repository.changesCovered.toLocaleString('en-US')}`,
    )
    expect(chronicle(dataDir, ['audit', 'verify', out]).code).toBe(0)
  })

  it('verify --db brings the trail up to date before it checks the stored chain', () => {
    const dataDir = scratch.dir()
    expect(chronicle(dataDir, ['import', ROO_TASK]).code).toBe(0)
    const checked = chronicle(dataDir, ['audit', 'verify', '--db', '--json'])
    expect(checked.code).toBe(0)
    const check = JSON.parse(checked.stdout) as { ok: boolean; entries: number }
    expect(check.ok).toBe(true)
    // The device's registration, the conversation and its messages.
    expect(check.entries).toBeGreaterThan(2)
  })

  it('with serve holding the library, the export waits for its bridge and runs none of its own', async () => {
    const dataDir = scratch.dir()
    await startedServe(dataDir)
    expect(chronicle(dataDir, ['import', ROO_TASK]).code).toBe(0)
    const out = join(dataDir, 'trail.ndjson')
    const exported = chronicle(dataDir, ['audit', 'export', '--out', out, '--json'])
    expect(exported.stderr).toBe('')
    expect(exported.code).toBe(0)
    expect(exportedNames(out)).toContain('v1.MessagesAppended')
    const { digest } = JSON.parse(exported.stdout) as ExportJson
    expect(digest.repository.changesCovered).toBe(digest.repository.changesHead)
    // Serve's device registered once, as 'web': the export did not start a second store for the same device.
    const registered = exportedNames(out).filter((name) => name === 'v1.DeviceRegistered')
    expect(registered).toHaveLength(1)
  })

  it('gives up on a holder that brings nothing in, naming it', async () => {
    const dataDir = scratch.dir()
    expect(chronicle(dataDir, ['import', ROO_TASK]).code).toBe(0)
    const stranger = spawn('sleep', ['30'])
    scratch.defer(() => void stranger.kill())
    writeFileSync(
      join(dataDir, LOCK_FILE),
      JSON.stringify({ pid: stranger.pid, holder: 'the Chronicle app' }),
    )
    const attempt = bringTrailUpToDate({
      dataDir,
      deviceId: loadDeviceIdentity(dataDir).id,
      stallMs: 300,
      pollMs: 50,
    })
    await expect(attempt).rejects.toThrow(TrailCatchUpError)
    await expect(attempt).rejects.toThrow(
      `the Chronicle app (pid ${stranger.pid}) holds this library and has brought nothing into the audit trail`,
    )
  })
})
