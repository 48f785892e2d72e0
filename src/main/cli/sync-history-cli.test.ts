/**
 * `chronicle sync setup` on a machine that already has a library, and `join` on one that has its own: the real
 * binary in child processes, real data directories and the real sync Worker in workerd. Setup brings the trail up to
 * date with what `chronicle import` wrote (no app open) and sends it all up before it prints the code, so a machine
 * that joins finds the whole library there. Bad input: joining with a data directory that holds a library of its
 * own is refused before the worker is asked, and writes nothing.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  startLocalWorker,
  workerdDescendants,
  type LocalWorker,
} from '../../../sync-worker/test/local-worker'
import { until } from '../hub/test-support/until'
import { rowCount } from '../import/test-support/repository-helpers'
import { samplesDir } from '../import/test-support/samples'
import { openUpstream } from '../relay/upstream-connection'
import { useScratch } from '../repository/test-support/scratch'
import { deriveSyncKeys } from '../sync/library-key'
import { parsePairingCode } from '../sync/pairing-code'
import { startSyncRuntime, type SyncRuntime } from '../sync/sync-runtime'

const scratch = useScratch()
const ROO_TASKS = samplesDir('roo-code', 'tasks')
let worker: LocalWorker | undefined
let persistTo = ''
const runtimes: SyncRuntime[] = []

// Asynchronous: the Worker's wrangler runs in this process and must keep answering while a command waits on it.
function chronicle(dataDir: string, args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['bin/chronicle.js', ...args, '--data-dir', dataDir],
      { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    )
  })
}

/** Every event the Worker holds for the library, pulled as any machine would (still sealed). */
async function eventsOnWorker(url: string, storeId: string, token: string): Promise<number> {
  const upstream = await openUpstream({ url, storeId, token }, new AbortController().signal)
  if ('kind' in upstream) throw new Error(`the worker refused: ${upstream.reason}`)
  try {
    return await new Promise<number>((resolve) => {
      let count = 0
      upstream.pull(null, async (page) => {
        count += page.events.length
        if (page.remaining === 0) resolve(count)
      })
    })
  } finally {
    upstream.close({ kind: 'unreachable', reason: 'done' })
  }
}

beforeAll(async () => {
  persistTo = mkdtempSync(join(tmpdir(), 'chronicle-sync-history-'))
  worker = await startLocalWorker(persistTo)
}, 60_000)
afterEach(async () => {
  for (const runtime of runtimes.splice(0)) await runtime.close()
})
afterAll(async () => {
  await worker?.dispose()
  rmSync(persistTo, { recursive: true, force: true })
  expect(workerdDescendants()).toEqual([])
})

describe('chronicle sync with a library already here', () => {
  it('setup sends the history up before it prints the code, and a machine that joins gets all of it', async () => {
    const url = worker!.url
    const machineA = scratch.dir()
    expect((await chronicle(machineA, ['import', ROO_TASKS])).code).toBe(0)
    const setup = await chronicle(machineA, ['sync', 'setup', url, '--json'])
    expect([setup.code, setup.stderr]).toEqual([0, ''])
    const printed = JSON.parse(setup.stdout) as { eventsSent: number; pairingCode: string; storeId: string }
    expect(printed.eventsSent).toBeGreaterThan(0)
    const pairing = parsePairingCode(printed.pairingCode)
    const token = deriveSyncKeys(pairing.key, pairing.storeId).workerToken
    expect(await eventsOnWorker(url, pairing.storeId, token)).toBe(printed.eventsSent)

    // The human form says what went up.
    const again = scratch.dir()
    expect((await chronicle(again, ['import', ROO_TASKS])).code).toBe(0)
    const human = await chronicle(again, ['sync', 'setup', url])
    expect(human.stdout).toMatch(/This library's history went up first: \d+ events, encrypted\./)

    // A machine that joins with the code, and starts, finds every conversation A imported.
    const machineC = scratch.dir()
    expect((await chronicle(machineC, ['sync', 'join', printed.pairingCode])).code).toBe(0)
    const repository = scratch.open({ dataDir: machineC })
    runtimes.push(
      await startSyncRuntime({
        dataDir: machineC,
        repository,
        log: () => undefined,
        relay: { url, storeId: pairing.storeId, key: pairing.key },
      }),
    )
    const conversations = await rowCount(scratch.open({ dataDir: machineA }), 'conversations')
    expect(conversations).toBeGreaterThan(0)
    await until(
      () => rowCount(repository, 'conversations'),
      (n) => n === conversations,
      30_000,
    )
  }, 90_000)

  it('join refuses a data directory with a library of its own, and writes nothing', async () => {
    const machineA = scratch.dir()
    const setup = await chronicle(machineA, ['sync', 'setup', worker!.url, '--json'])
    const { pairingCode } = JSON.parse(setup.stdout) as { pairingCode: string }

    const machineB = scratch.dir()
    expect((await chronicle(machineB, ['import', ROO_TASKS])).code).toBe(0)
    // Its own trail, as the app would have made it (the import alone leaves the trail to the app).
    expect((await chronicle(machineB, ['audit', 'verify', '--db'])).code).toBe(0)
    const before = readdirSync(machineB).sort()
    const joined = await chronicle(machineB, ['sync', 'join', pairingCode])
    expect(joined.code).toBe(1)
    expect(joined.stderr).toMatch(
      /chronicle sync join: this data directory holds a library of its own \(\d+ events in its trail\)/,
    )
    expect(joined.stderr).toContain('nothing was written')
    expect(readdirSync(machineB).sort()).toEqual(before)
    expect(before).not.toContain('sync.json')
  }, 60_000)
})
