/**
 * `chronicle simulate` against a real `chronicle serve` on the same data directory: the simulated devices find
 * the hub through the data directory, connect as LiveStore clients, and what they add reaches the repository
 * through the bridge; a stop signal (Ctrl-C, or SIGTERM as here) ends them cleanly. Without a running
 * hub, simulate says how to start one.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { SyncStatus } from '../../shared/api/contract'
import { until } from '../hub/test-support/until'
import { PROJECT_ROOT } from '../repository/test-support/child-node'
import { useScratch } from '../repository/test-support/scratch'
import { openRepository } from '../repository/repository'

const scratch = useScratch()
const children: ChildProcess[] = []
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null) {
      child.kill('SIGKILL')
      await once(child, 'exit')
    }
  }
})

const chronicle = (...args: string[]) => {
  const child = spawn(process.execPath, ['bin/chronicle.js', ...args], { cwd: PROJECT_ROOT })
  children.push(child)
  let out = ''
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()))
  return { child, output: () => out }
}

describe('chronicle simulate', () => {
  it('joins the running hub as devices whose messages reach the repository, and stops on a signal', async () => {
    const dataDir = scratch.dir()
    const serve = chronicle('serve', '--data-dir', dataDir, '--no-watch')
    await until(serve.output, (out) => out.includes('Press Ctrl-C'), 30_000)
    const simulate = chronicle('simulate', '--data-dir', dataDir, '--devices', '2', '--rate', '10', '--json')
    await until(simulate.output, (out) => (out.match(/added a message/g) ?? []).length >= 6, 30_000)
    // The API shows who is connected, with how far each is behind the hub.
    const url = new URL(/at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(serve.output())![1]!)
    const syncStatus = async () =>
      (await (
        await fetch(`${url.origin}/api/syncStatus`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${url.searchParams.get('token')}`,
            'Content-Type': 'application/json',
          },
          body: '{}',
        })
      ).json()) as { ok: boolean; value: SyncStatus }
    // A simulated device drops offline now and then: look at a moment when both are connected.
    const status = await until(syncStatus, (s) => !s.ok || s.value.clients.length === 2, 30_000)
    expect(status.ok).toBe(true)
    expect(status.value.hubHead).toBeGreaterThan(6)
    expect(status.value.clients.map((c) => [c.deviceName, c.kind]).sort()).toEqual([
      ['Simulated device 1', 'simulator'],
      ['Simulated device 2', 'simulator'],
    ])
    for (const client of status.value.clients)
      expect(client.lag).toBe(status.value.hubHead - client.acknowledgedHead)

    simulate.child.kill('SIGTERM')
    const [code] = (await once(simulate.child, 'exit')) as [number | null]
    expect(code).toBe(0)
    const devices = new Set(
      simulate
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => (JSON.parse(l) as { device: string }).device),
    )
    expect([...devices].sort()).toEqual(['Simulated device 1', 'Simulated device 2'])

    serve.child.kill('SIGTERM')
    await once(serve.child, 'exit')
    const repo = openRepository({ dataDir })
    try {
      const fromDevices = await repo.db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('device_id', 'like', 'simulated-%')
        .executeTakeFirstOrThrow()
      expect(Number(fromDevices.n)).toBeGreaterThanOrEqual(6)
      const connected = await repo.db
        .selectFrom('hub_events')
        .select('name')
        .where('name', 'in', ['v1.DeviceConnected', 'v1.DeviceDisconnected'])
        .execute()
      expect(connected.filter((e) => e.name === 'v1.DeviceConnected').length).toBeGreaterThanOrEqual(2)
      expect(connected.filter((e) => e.name === 'v1.DeviceDisconnected').length).toBeGreaterThanOrEqual(2)
    } finally {
      await repo.close()
    }
  }, 90_000)

  it('says how to start a hub when none runs on the data directory (bad input: nothing to join)', () => {
    const result = spawnSync(
      process.execPath,
      ['bin/chronicle.js', 'simulate', '--data-dir', join(scratch.dir(), 'empty')],
      { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 20_000 },
    )
    expect(result.stderr.trim()).toMatch(
      /^chronicle simulate: no Chronicle hub is running on .*chronicle serve --data-dir/,
    )
    expect(result.status).toBe(1)
  })
})
