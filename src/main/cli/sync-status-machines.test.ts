/**
 * `chronicle sync status` lists the library's machines as the real sync Worker (workerd) knows them: two relay
 * connections opened the way the relay opens them, each saying which machine it is with its name sealed; one
 * leaves while the other pushes. Status on machine A marks A, shows B last seen and behind, names both (opened
 * with the library key), in text and in --json, and keeps its exit code; it also says what the running relay
 * reports of bodies still to move and events refused. A worker that cannot list them (a key it refuses) prints
 * no list and the same exit code as before.
 */

import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { useLocalWorker } from '../../../sync-worker/test/use-local-worker'
import type { GlobalEvent } from '../hub/hub-eventlog'
import { until } from '../hub/test-support/until'
import { RELAY_STATUS_FILE, type RelayReport } from '../relay/relay-status-file'
import { openUpstream, type UpstreamConnection } from '../relay/upstream-connection'
import { useScratch } from '../repository/test-support/scratch'
import { DEVICE_FILE } from '../sync/device-identity'
import { deriveSyncKeys, LibraryKey } from '../sync/library-key'
import { writeLibraryKey } from '../sync/library-key-file'
import { machinePresence } from '../sync/machine-presence'
import { writeSyncSettings } from '../sync/sync-settings'
import { claimLibrary } from '../sync/sync-settings-remote'
import { runChronicle } from './test-support/run-chronicle'

const scratch = useScratch()
const local = useLocalWorker('sync-status-machines')
const connections: UpstreamConnection[] = []

const chronicle = runChronicle

// Registered after useLocalWorker, so it runs first: the connections close while the Worker is still up.
afterAll(() => {
  for (const connection of connections.splice(0)) connection.close({ kind: 'unreachable', reason: 'done' })
})

/** A data directory joined to the library, with its own device identity. */
function machineDir(url: string, storeId: string, key: LibraryKey, device: { id: string; name: string }) {
  const dataDir = scratch.dir()
  writeLibraryKey(dataDir, key)
  writeSyncSettings(dataDir, { url, storeId, joinedAt: new Date().toISOString(), role: 'joined' })
  writeFileSync(join(dataDir, DEVICE_FILE), JSON.stringify(device))
  return dataDir
}

const event = (seqNum: number): GlobalEvent => ({
  name: 'v1.Sealed',
  args: `sealed-${seqNum}`,
  seqNum,
  parentSeqNum: seqNum - 1,
  clientId: 'client-a',
  sessionId: 'status-test',
})

describe('chronicle sync status with machines', () => {
  it("lists the library's machines: this one marked, the other last seen and behind, both named", async () => {
    const url = `${local.worker().url}/`
    const storeId = 'chronicle-status-machines'
    const key = LibraryKey.generate()
    const token = deriveSyncKeys(key, storeId).workerToken
    expect(await claimLibrary(url, storeId, token)).toEqual({ kind: 'claimed' })
    const deviceA = { id: 'aaaaaaaa-1111-4111-8111-111111111111', name: 'Desk tower' }
    const deviceB = { id: 'bbbbbbbb-2222-4222-8222-222222222222', name: 'Travel laptop' }
    const dirA = machineDir(url, storeId, key, deviceA)

    const relay = async (device: typeof deviceA) => {
      const presence = machinePresence(device, '0.1.0', key, storeId)
      const opened = await openUpstream({ url, storeId, token, presence })
      if ('kind' in opened) throw new Error(opened.reason)
      connections.push(opened)
      return opened
    }
    const a = await relay(deviceA)
    const backendId = await new Promise<string>((resolve) =>
      a.pull(null, async (page) => resolve(page.backendId)),
    )
    expect(await a.push([event(1), event(2)], backendId)).toEqual({ kind: 'ok' })
    const b = await relay(deviceB)
    let onB = 0
    b.pull(null, async (page) => void (onB += page.events.length))
    await until(
      () => onB,
      (n) => n === 2,
    )
    // B's acknowledgement reaches the worker after B has the events: on a loaded machine, later than B closes.
    await until(
      async () =>
        (
          (await (
            await fetch(`${url}libraries/${storeId}/devices`, {
              headers: { authorization: `Bearer ${token}` },
            })
          ).json()) as { machines: { machineId: string; head: number | null }[] }
        ).machines.find((m) => m.machineId === deviceB.id)?.head,
      (head) => head === 2,
    )
    b.close({ kind: 'unreachable', reason: 'B stops' })
    expect(await a.push([event(3), event(4), event(5)], backendId)).toEqual({ kind: 'ok' })

    type Json = {
      connection: { state: string }
      machines: { state: string; libraryHead: number; list: Record<string, unknown>[] }
    }
    const listed = await until(
      async () => JSON.parse((await chronicle(dirA, ['sync', 'status', '--json'])).stdout) as Json,
      (json) =>
        json.machines.list.length === 2 &&
        json.machines.list.some((m) => m.machineId === deviceA.id && m.head === 5) &&
        json.machines.list.some((m) => m.machineId === deviceB.id && m.online === false),
      30_000,
    )
    expect(listed.connection).toEqual({ state: 'accepted' })
    expect(listed.machines.libraryHead).toBe(5)
    expect(listed.machines.list).toEqual([
      expect.objectContaining({
        machineId: deviceA.id,
        name: 'Desk tower',
        thisMachine: true,
        online: true,
        head: 5,
        behind: 0,
        version: '0.1.0',
      }),
      expect.objectContaining({
        machineId: deviceB.id,
        name: 'Travel laptop',
        thisMachine: false,
        online: false,
        head: 2,
        behind: 3,
        version: '0.1.0',
      }),
    ])

    const text = await chronicle(dirA, ['sync', 'status'])
    expect([text.code, text.stderr]).toEqual([0, ''])
    const lines = text.stdout.split('\n')
    expect(lines).toContain('Machines (the library has 5 events):')
    expect(lines.find((line) => line.startsWith('* Desk tower (this machine): online since '))).toMatch(
      /, up to date, version 0\.1\.0$/,
    )
    expect(lines.find((line) => line.startsWith('  Travel laptop: last seen '))).toMatch(
      /, behind by 3 events, version 0\.1\.0$/,
    )
    // The names reached the worker only sealed.
    const stored = JSON.stringify(
      await (
        await fetch(`${url}libraries/${storeId}/devices`, { headers: { authorization: `Bearer ${token}` } })
      ).json(),
    )
    expect(stored).not.toContain('Desk tower')
    expect(stored).not.toContain('Travel laptop')

    // What the running relay reports (its status file, written here as the relay writes it, by a live process):
    // bodies still to move, with why they stopped, and the events it refused.
    const report: RelayReport = {
      pid: process.pid,
      at: Date.now(),
      connection: { state: 'connected', since: Date.now(), caughtUp: true },
      remoteHead: 5,
      localHead: 5,
      waiting: 0,
      refused: { count: 2, last: { seqNum: 4, refusedName: 'v1.X', reason: 'event 4 is forged.', at: 1 } },
      bodies: { toFetch: 1234, toStore: 2, imagesToFetch: 1, problem: 'the worker is away.' },
    }
    writeFileSync(join(dirA, RELAY_STATUS_FILE), JSON.stringify(report))
    const withRelay = (await chronicle(dirA, ['sync', 'status'])).stdout.split('\n')
    expect(withRelay).toContain(
      'Bodies: 1,234 message bodies to fetch from your other machines; 2 to store on the worker; 1 image to ' +
        'fetch (stopped: the worker is away).',
    )
    expect(withRelay.find((line) => line.startsWith('Refused: '))).toMatch(
      /^Refused: 2 events from the worker, .* The latest: event 4 is forged\. The Audit view/,
    )

    // A key the worker refuses: no list, and status exits 0 as it did before machines were listed.
    const stranger = machineDir(url, storeId, LibraryKey.generate(), {
      id: 'cccccccc-3333-4333-8333-333333333333',
      name: 'Stranger',
    })
    const refused = await chronicle(stranger, ['sync', 'status', '--json'])
    expect(refused.code).toBe(0)
    expect(JSON.parse(refused.stdout)).toMatchObject({ connection: { state: 'refused' }, machines: null })
  }, 90_000)
})
