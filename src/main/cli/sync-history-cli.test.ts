/**
 * `chronicle sync setup` on a machine that already has a library, and `join` on one that has its own: the real
 * binary in child processes, real data directories and the real sync Worker in workerd. Setup brings the trail up to
 * date with what `chronicle import` wrote (no app open) and sends it all up before it prints the code, so a machine
 * that joins finds the whole library there. Bad input: joining with a data directory that holds a library of its
 * own, with a code whose key the worker refuses, writes nothing (relay/merge-on-join.test.ts merges one it
 * accepts). `sync status` reports what the running relay of a `serve` knows (connected, both heads, changes
 * waiting while the worker is down) and, once it stops, that none runs: the file it read is gone.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
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
import { deriveSyncKeys, LibraryKey } from '../sync/library-key'
import { makePairingCode, parsePairingCode } from '../sync/pairing-code'
import { startSyncRuntime, type SyncRuntime } from '../sync/sync-runtime'
import { readSyncSettings, writeSyncSettings } from '../sync/sync-settings'
import { freePort } from '../test-support/free-port'
import { runChronicle } from './test-support/run-chronicle'

const scratch = useScratch()
const ROO_TASKS = samplesDir('roo-code', 'tasks')
const CLAUDE_PROJECTS = samplesDir('claude-code', 'projects')
let worker: LocalWorker | undefined
let persistTo = ''
const runtimes: SyncRuntime[] = []

const chronicle = runChronicle

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

/** `chronicle serve` on a data directory, started and stopped as a user would (its URL line says it is up). */
async function serve(dataDir: string) {
  const child = spawn(process.execPath, ['bin/chronicle.js', 'serve', '--no-watch', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (/at http:\/\/127\.0\.0\.1:\d+/.test(output)) resolve()
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)))
  })
  return async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }
}

interface StatusJson {
  relay: {
    connection: { state: string }
    remoteHead: number | null
    localHead: number
    waiting: number
  } | null
}
const statusOf = async (dataDir: string) =>
  JSON.parse((await chronicle(dataDir, ['sync', 'status', '--json'])).stdout) as StatusJson

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

  it('join with a library of its own and a code whose key the worker refuses writes nothing', async () => {
    const machineA = scratch.dir()
    const setup = await chronicle(machineA, ['sync', 'setup', worker!.url, '--json'])
    const { pairingCode } = JSON.parse(setup.stdout) as { pairingCode: string }
    // Bad input: a code for A's library with another key (an old or forged code).
    const forged = makePairingCode({ ...parsePairingCode(pairingCode), key: LibraryKey.generate() })

    const machineB = scratch.dir()
    expect((await chronicle(machineB, ['import', ROO_TASKS])).code).toBe(0)
    // Its own trail, as the app would have made it (the import alone leaves the trail to the app).
    expect((await chronicle(machineB, ['audit', 'verify', '--db'])).code).toBe(0)
    const trail = await rowCount(scratch.open({ dataDir: machineB }), 'hub_events')
    expect(trail).toBeGreaterThan(0)
    const before = readdirSync(machineB).sort()
    const joined = await chronicle(machineB, ['sync', 'join', forged])
    expect(joined.code).toBe(1)
    expect(joined.stderr).toMatch(/chronicle sync join: the worker at .* refused this pairing code's key/)
    expect(joined.stderr).toContain('nothing was written')
    // The merge starts only once the worker said yes: the trail, the store and the settings are as they were.
    expect(readdirSync(machineB).sort()).toEqual(before)
    expect(before).not.toContain('sync.json')
    expect(await rowCount(scratch.open({ dataDir: machineB }), 'hub_events')).toBe(trail)
  }, 60_000)

  it('audit export on a machine that syncs, with no app running, brings the trail in through the worker', async () => {
    const url = worker!.url
    const machineA = scratch.dir()
    const setup = JSON.parse((await chronicle(machineA, ['sync', 'setup', url, '--json'])).stdout) as {
      pairingCode: string
    }
    expect((await chronicle(machineA, ['import', ROO_TASKS])).code).toBe(0)
    const exported = await chronicle(machineA, [
      'audit',
      'export',
      '--json',
      '--out',
      join(machineA, 'a.ndjson'),
    ])
    expect([exported.code, exported.stderr]).toEqual([0, ''])
    const { digest } = JSON.parse(exported.stdout) as { digest: { records: { count: number } } }
    // Every event of the trail is the worker's: none was numbered on this machine alone.
    const held = await rowCount(scratch.open({ dataDir: machineA }), 'hub_events')
    expect(digest.records.count).toBe(held)
    const { storeId, key } = parsePairingCode(setup.pairingCode)
    expect(await eventsOnWorker(url, storeId, deriveSyncKeys(key, storeId).workerToken)).toBe(held)

    // Bad input: the worker cannot be reached (sync.json names a port where none listens).
    writeSyncSettings(machineA, {
      ...readSyncSettings(machineA)!,
      url: `http://127.0.0.1:${await freePort()}/`,
    })
    expect((await chronicle(machineA, ['import', CLAUDE_PROJECTS, '--source', 'claude-code'])).code).toBe(0)
    const offline = await chronicle(machineA, ['audit', 'export', '--out', join(machineA, 'b.ndjson')])
    expect(offline.code, offline.stdout + offline.stderr).toBe(1)
    expect(offline.stderr).toMatch(/the sync worker did not confirm the changes \(.+\): this library's trail/)
    expect(await rowCount(scratch.open({ dataDir: machineA }), 'hub_events')).toBe(held)
    expect(existsSync(join(machineA, 'b.ndjson'))).toBe(false)
    // Bad input: a sync.json that cannot be trusted stops the export too, rather than number events here alone.
    writeFileSync(join(machineA, 'sync.json'), '{"version":1,"url":"not a url"}')
    const damaged = await chronicle(machineA, ['audit', 'export', '--out', join(machineA, 'c.ndjson')])
    expect([damaged.code, damaged.stderr]).toEqual([1, expect.stringMatching(/sync\.json is damaged/)])
    expect(await rowCount(scratch.open({ dataDir: machineA }), 'hub_events')).toBe(held)
  }, 90_000)

  // Last in the file: it stops the Worker the other tests share.
  it('status reports the running relay: connected and level, then offline with changes waiting, then none', async () => {
    const dataDir = scratch.dir()
    expect((await chronicle(dataDir, ['sync', 'setup', worker!.url])).code).toBe(0)
    const stop = await serve(dataDir)
    try {
      const level = await until(
        () => statusOf(dataDir),
        ({ relay }) => relay?.connection.state === 'connected' && relay.waiting === 0 && relay.localHead > 0,
      )
      expect(level.relay?.remoteHead).toBe(level.relay?.localHead)
      const human = await chronicle(dataDir, ['sync', 'status'])
      expect(human.stdout).toMatch(
        /Relay \(pid \d+\): connected since .*; this machine holds (\d+) of the worker's \1 events; nothing waiting\./,
      )

      await worker!.dispose()
      worker = undefined
      expect((await chronicle(dataDir, ['import', ROO_TASKS])).code).toBe(0)
      const offline = await until(
        () => statusOf(dataDir),
        ({ relay }) => relay?.connection.state === 'unreachable' && relay.waiting > 0,
      )
      expect(offline.relay?.localHead).toBe(level.relay?.localHead)
    } finally {
      await stop()
    }
    expect(existsSync(join(dataDir, 'sync-status.json'))).toBe(false)
    expect((await statusOf(dataDir)).relay).toBeNull()
    expect((await chronicle(dataDir, ['sync', 'status'])).stdout).toContain('Relay: not running')
  }, 90_000)
})
