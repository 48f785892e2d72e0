/**
 * The file through which `chronicle sync status` learns what the running relay knows: written 0600 when the
 * relay's status changes, removed when its process stops. Bad input, each named: a file left by a process that is
 * gone, one that is not JSON, and one whose connection is not a state the relay has.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { until } from '../hub/test-support/until'
import { useScratch } from '../repository/test-support/scratch'
import {
  publishRelayStatus,
  readRelayReport,
  RELAY_STATUS_FILE,
  type RelayFigures,
} from './relay-status-file'

const scratch = useScratch()

describe('the relay status file', () => {
  it('follows the relay, 0600, and is gone once the relay stops', async () => {
    const dataDir = scratch.dir()
    let figures: RelayFigures = {
      connection: { state: 'connecting' },
      remoteHead: null,
      localHead: 0,
      waiting: 0,
      refused: { count: 0, last: null },
      bodies: null,
    }
    let changed = () => undefined as void
    const stop = publishRelayStatus({
      dataDir,
      log: () => undefined,
      figures: async () => figures,
      subscribe: (listener) => {
        changed = listener
        return () => undefined
      },
    })
    await until(
      () => readRelayReport(dataDir),
      (report) => report?.connection.state === 'connecting',
    )
    expect(statSync(join(dataDir, RELAY_STATUS_FILE)).mode & 0o777).toBe(0o600)
    figures = {
      connection: { state: 'connected', since: 5, caughtUp: true },
      remoteHead: 7,
      localHead: 7,
      waiting: 0,
      refused: { count: 1, last: { seqNum: 3, refusedName: 'v1.X', reason: 'forged', at: 2 } },
      bodies: { toFetch: 12, toStore: 0, imagesToFetch: 2, problem: 'the worker is away' },
    }
    changed()
    const report = await until(
      () => readRelayReport(dataDir),
      (value) => value?.connection.state === 'connected',
    )
    expect(report).toMatchObject({ pid: process.pid, remoteHead: 7, localHead: 7, waiting: 0 })
    expect(report?.refused).toEqual(figures.refused)
    expect(report?.bodies).toEqual(figures.bodies)
    stop()
    expect(readRelayReport(dataDir)).toBeNull()
  })

  it('asks again while bodies wait, and writes only figures that changed', async () => {
    const dataDir = scratch.dir()
    const file = join(dataDir, RELAY_STATUS_FILE)
    // Two images no worker has: a count that does not move however often it is asked.
    let figures: RelayFigures = {
      connection: { state: 'connected', since: 5, caughtUp: true },
      remoteHead: 7,
      localHead: 7,
      waiting: 0,
      refused: { count: 0, last: null },
      bodies: { toFetch: 0, toStore: 0, imagesToFetch: 2, problem: null },
    }
    let asked = 0
    const stop = publishRelayStatus({
      dataDir,
      log: () => undefined,
      figures: async () => {
        asked += 1
        return figures
      },
      subscribe: () => () => undefined,
    })
    try {
      await until(
        () => readRelayReport(dataDir),
        (report) => report !== null,
      )
      const first = statSync(file)
      await until(
        () => asked,
        (count) => count === 2,
        10_000,
      )
      // Asked again (the rest of that round runs before the poll sees the count), written once: the file is the
      // same one, where a write renames a new file over it.
      expect(statSync(file).ino).toBe(first.ino)
      figures = { ...figures, bodies: { toFetch: 0, toStore: 0, imagesToFetch: 1, problem: null } }
      const report = await until(
        () => readRelayReport(dataDir),
        (value) => value?.bodies?.imagesToFetch === 1,
        10_000,
      )
      expect(statSync(file).ino).not.toBe(first.ino)
      expect(report?.bodies).toEqual(figures.bodies)
    } finally {
      stop()
    }
  }, 20_000)

  it('ignores a file left by a process that is gone, one that is not JSON, an unknown state, and refusals of the wrong shape', () => {
    const dataDir = scratch.dir()
    const file = join(dataDir, RELAY_STATUS_FILE)
    const valid = {
      pid: process.pid,
      at: 1,
      connection: { state: 'stopped' },
      remoteHead: null,
      localHead: 0,
      waiting: 0,
      refused: { count: 0, last: null },
      bodies: { toFetch: 0, toStore: 3, imagesToFetch: 0, problem: null },
    }
    writeFileSync(file, JSON.stringify(valid))
    expect(readRelayReport(dataDir)).toEqual(valid)
    // Written by a build before bodies moved: read, with no bodies.
    writeFileSync(file, JSON.stringify({ ...valid, bodies: undefined }))
    expect(readRelayReport(dataDir)).toEqual({ ...valid, bodies: null })
    writeFileSync(file, JSON.stringify({ ...valid, pid: 2 ** 22 + 12_345 }))
    expect(readRelayReport(dataDir)).toBeNull()
    writeFileSync(file, '{"pid":')
    expect(readRelayReport(dataDir)).toBeNull()
    writeFileSync(file, JSON.stringify({ ...valid, connection: { state: 'hacked' } }))
    expect(readRelayReport(dataDir)).toBeNull()
    expect(readFileSync(file, 'utf8')).toContain('hacked')
    // Written by an earlier build (no refusals), or by something else: a count that is not one, a latest without a reason.
    for (const refused of [undefined, { count: -1, last: null }, { count: 1, last: { seqNum: 1 } }]) {
      writeFileSync(file, JSON.stringify({ ...valid, refused }))
      expect(readRelayReport(dataDir)).toBeNull()
    }
    // Bad input: a count that is not one, a status without its problem or (an earlier build's) its images, not a status.
    for (const bodies of [
      { toFetch: -1.5, toStore: 0, imagesToFetch: 0, problem: null },
      { toFetch: 1, toStore: 0, imagesToFetch: 0 },
      { toFetch: 1, toStore: 0, problem: null },
      { toFetch: 1, toStore: 0, imagesToFetch: '2', problem: null },
      'many',
    ]) {
      writeFileSync(file, JSON.stringify({ ...valid, bodies }))
      expect(readRelayReport(dataDir)).toBeNull()
    }
  })
})
