/**
 * Machines whose hubs relay to one sync Worker in real workerd, for the relay's tests: each machine is a data
 * directory with its repository and sync runtime (bridge polling hourly, so tests drain it when they mean to). The
 * Worker starts before the file's tests and stops after them; runtimes close after each test.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { workerdDescendants } from '../../../../sync-worker/test/local-worker'
import { events } from '../../../shared/livestore/schema'
import { until } from '../../hub/test-support/until'
import type { useScratch } from '../../repository/test-support/scratch'
import { deriveSyncKeys, LibraryKey } from '../../sync/library-key'
import { startSyncRuntime, type SyncRuntime, type SyncRuntimeOptions } from '../../sync/sync-runtime'
import { startRestartableWorker, type RestartableWorker } from './restartable-worker'

type Scratch = ReturnType<typeof useScratch>

export function useRelayMachines(scratch: Scratch, defaultStoreId: string) {
  const persistTo = mkdtempSync(join(tmpdir(), 'chronicle-relay-worker-'))
  const key = LibraryKey.generate()
  let worker: RestartableWorker | null = null
  const runtimes: SyncRuntime[] = []
  const theWorker = () => {
    if (worker === null) throw new Error('the Worker starts before the tests')
    return worker
  }

  async function claim(storeId: string) {
    const token = deriveSyncKeys(key, storeId).workerToken
    const answer = await fetch(`${theWorker().url}/libraries/${storeId}/claim`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    })
    expect(answer.status).toBe(201)
    return token
  }

  beforeAll(async () => {
    worker = await startRestartableWorker(persistTo)
    await claim(defaultStoreId)
  })
  // Longer than the store's own 120 s wait for its leader, so a close that hangs fails with the store's reason (and
  // its sync state) rather than with a bare hook timeout.
  afterEach(async () => {
    for (const runtime of runtimes.splice(0)) await runtime.close()
  }, 150_000)
  afterAll(async () => {
    await worker?.stop()
    rmSync(persistTo, { recursive: true, force: true })
    expect(workerdDescendants()).toEqual([])
  })

  /** Closed after the test, like the machines. */
  const keep = (runtime: SyncRuntime) => void runtimes.push(runtime)

  async function machine(
    libraryKey = key,
    storeId = defaultStoreId,
    more: Partial<Pick<SyncRuntimeOptions, 'bodyTransfer' | 'log'> & { busyTimeoutMs: number }> = {},
  ) {
    const dataDir = scratch.dir()
    const repository = scratch.open({
      dataDir,
      ...(more.busyTimeoutMs !== undefined && { busyTimeoutMs: more.busyTimeoutMs }),
    })
    const runtime = await startSyncRuntime({
      dataDir,
      repository,
      log: more.log ?? (() => undefined),
      bridgeIntervalMs: 3_600_000,
      relay: { url: theWorker().url, storeId, key: libraryKey },
      ...(more.bodyTransfer && { bodyTransfer: more.bodyTransfer }),
    })
    keep(runtime)
    return { repository, runtime }
  }

  return { key, persistTo, worker: theWorker, claim, machine, keep }
}
export type RelayMachine = Awaited<ReturnType<ReturnType<typeof useRelayMachines>['machine']>>

/** A rename as a person makes it on machine `m`, at `at` by its clock, having seen what its store has applied. */
export const rename = async (m: RelayMachine, conversationId: string, title: string, at = Date.now()) =>
  m.runtime.store.commit([
    events.conversationRenamed({
      at,
      deviceId: m.runtime.device.id,
      actor: 'user',
      origin: 'ui',
      conversationId,
      title,
      seen: await m.runtime.store.seen(),
    }),
  ])

/** The eventlog as the chain sees it: the same on every machine. */
export const chain = async (m: RelayMachine) =>
  (await m.runtime.hub.eventlog.read(0, 100_000)).map(({ seqNum, parentSeqNum, name, clientId, hash }) => ({
    seqNum,
    parentSeqNum,
    name,
    clientId,
    hash,
  }))

export const sameChains = async (a: RelayMachine, b: RelayMachine) => {
  await until(
    async () => [await a.runtime.hub.eventlog.head(), await b.runtime.hub.eventlog.head()],
    ([x, y]) => x === y && a.runtime.relay?.status().waiting === 0 && b.runtime.relay?.status().waiting === 0,
  )
  const [ofA, ofB] = [await chain(a), await chain(b)]
  expect(ofA.length).toBeGreaterThan(0)
  expect(ofB).toEqual(ofA)
}
