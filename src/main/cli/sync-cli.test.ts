/**
 * `chronicle sync` as a user runs it: the real binary in child processes, real data directories, and the real sync
 * Worker in workerd (sync-worker/test/local-worker.ts). One machine sets up and prints a pairing code, a second joins
 * with it and both hold the same key and store id, 0600. Bad input, each named: a URL where nothing listens, a
 * garbled and a cut pairing code, a code whose key the worker refuses (409), setup twice, leave twice, a damaged
 * sync.json, a key the worker refuses in status. None of them writes anything. No workerd outlives the file.
 */

import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useLocalWorker } from '../../../sync-worker/test/use-local-worker'
import { LOCK_FILE } from '../data-dir-lock'
import { useScratch } from '../repository/test-support/scratch'
import { LibraryKey } from '../sync/library-key'
import { writeLibraryKey } from '../sync/library-key-file'
import { makePairingCode } from '../sync/pairing-code'
import { writeSyncSettings } from '../sync/sync-settings'
import { runChronicle } from './test-support/run-chronicle'
import { freePort } from '../test-support/free-port'

const scratch = useScratch()
const local = useLocalWorker('sync-cli')
const url = () => `${local.worker().url}/`

const chronicle = runChronicle

const mode = (file: string) => statSync(file).mode & 0o777
const files = (dataDir: string) => readdirSync(dataDir).sort()
const settingsOf = (dataDir: string) =>
  JSON.parse(readFileSync(join(dataDir, 'sync.json'), 'utf8')) as Record<string, string>

describe('chronicle sync', () => {
  // Made by the first test and used by the others: what machine A printed, and its library's store id.
  let code = ''
  let storeId = ''

  it('sets up on one machine and joins from another with the printed code', async () => {
    const machineA = scratch.dir()
    const setup = await chronicle(machineA, ['sync', 'setup', url()])
    expect(setup.stderr).toBe('')
    expect(setup.code).toBe(0)
    expect(setup.stdout).toContain('It is a secret: anyone who has it can read and write this whole library.')
    code = /chronicle-pair-1-[A-Za-z0-9_-]+/.exec(setup.stdout)?.[0] ?? ''
    expect(code).not.toBe('')
    const a = settingsOf(machineA)
    expect(a).toMatchObject({ url: url(), role: 'set-up' })
    expect(a.storeId).toMatch(/^chronicle-[A-Za-z0-9_-]{22}$/)
    storeId = a.storeId!

    const machineB = scratch.dir()
    const joined = await chronicle(machineB, ['sync', 'join', code, '--json'])
    expect(joined.stderr).toBe('')
    expect(joined.code).toBe(0)
    expect(JSON.parse(joined.stdout)).toMatchObject({ storeId: a.storeId, role: 'joined', claimedNow: false })
    for (const dir of [machineA, machineB]) {
      expect(files(dir)).toEqual(['library.key', 'sync.json'])
      for (const file of files(dir)) expect(mode(join(dir, file))).toBe(0o600)
    }
    expect(readFileSync(join(machineB, 'library.key'))).toEqual(readFileSync(join(machineA, 'library.key')))
    expect(settingsOf(machineB)).toMatchObject({ url: url(), storeId: a.storeId, role: 'joined' })

    const machineC = scratch.dir()
    const pasted = await chronicle(machineC, ['sync', 'join', '-'], `\n  ${code}\n`)
    expect([pasted.code, pasted.stderr]).toEqual([0, ''])
    expect(readFileSync(join(machineC, 'library.key'))).toEqual(readFileSync(join(machineA, 'library.key')))

    const status = await chronicle(machineB, ['sync', 'status', '--json'])
    expect(status.code).toBe(0)
    expect(JSON.parse(status.stdout)).toMatchObject({
      configured: true,
      storeId: a.storeId,
      connection: { state: 'accepted' },
      relay: null,
    })
    const setupJson = await chronicle(scratch.dir(), ['sync', 'setup', url(), '--json'])
    expect(JSON.parse(setupJson.stdout).pairingCode).toMatch(/^chronicle-pair-1-/)
  })

  it('writes nothing for a URL where nothing listens, a garbled or cut code, or a key the worker refuses', async () => {
    const dataDir = scratch.dir()
    const nowhere = `http://127.0.0.1:${await freePort()}/`
    const unreachable = await chronicle(dataDir, ['sync', 'setup', nowhere])
    expect(unreachable.code).toBe(1)
    expect(unreachable.stderr).toContain(`chronicle sync setup: cannot reach ${nowhere} (ECONNREFUSED)`)

    const noUrl = await chronicle(dataDir, ['sync', 'setup'])
    expect([noUrl.code, noUrl.stderr]).toEqual([
      2,
      expect.stringContaining('chronicle sync setup: it takes one URL'),
    ])
    const twoCodes = await chronicle(dataDir, ['sync', 'join', code, code])
    expect([twoCodes.code, twoCodes.stderr]).toEqual([2, expect.stringContaining('it takes one CODE')])
    const ftp = await chronicle(dataDir, ['sync', 'setup', 'ftp://example.com/'])
    expect([ftp.code, ftp.stderr]).toEqual([
      1,
      expect.stringContaining('must start with https://, not ftp://'),
    ])

    const nowhereCode = makePairingCode({ workerUrl: nowhere, storeId, key: LibraryKey.generate() })
    const joinNowhere = await chronicle(dataDir, ['sync', 'join', nowhereCode])
    expect(joinNowhere.code).toBe(1)
    expect(joinNowhere.stderr).toContain(`chronicle sync join: cannot reach ${nowhere} (ECONNREFUSED)`)

    const garbled = `${code.slice(0, 40)}${code[40] === 'A' ? 'B' : 'A'}${code.slice(41)}`
    const changed = await chronicle(dataDir, ['sync', 'join', garbled])
    expect(changed.code).toBe(1)
    expect(changed.stderr).toContain('a character was changed or lost')
    const cut = await chronicle(dataDir, ['sync', 'join', code.slice(0, -10)])
    expect(cut.code).toBe(1)
    expect(cut.stderr).toContain('The pairing code is cut short')

    const wrongKey = makePairingCode({ workerUrl: url(), storeId, key: LibraryKey.generate() })
    const refused = await chronicle(dataDir, ['sync', 'join', wrongKey])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(
      `the worker at ${url()} refused this pairing code's key for library ${storeId}`,
    )
    expect(files(dataDir)).toEqual([])
  })

  it('refuses a second setup, leaves twice, and names a damaged sync.json', async () => {
    const dataDir = scratch.dir()
    expect((await chronicle(dataDir, ['sync', 'setup', url()])).code).toBe(0)
    const before = readFileSync(join(dataDir, 'library.key'))
    const again = await chronicle(dataDir, ['sync', 'setup', url()])
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('leave it first (Leave in Settings, or `chronicle sync leave`)')
    expect(readFileSync(join(dataDir, 'library.key'))).toEqual(before)

    const left = await chronicle(dataDir, ['sync', 'leave'])
    expect(left.code).toBe(0)
    expect(left.stdout).toContain(`The local library in ${dataDir} is kept`)
    expect(files(dataDir)).toEqual([])
    const leftAgain = await chronicle(dataDir, ['sync', 'leave'])
    expect([leftAgain.code, leftAgain.stdout]).toEqual([0, expect.stringContaining('nothing to remove')])
    expect((await chronicle(dataDir, ['sync', 'status', '--json'])).stdout).toContain('"configured":false')

    // This test's own process stands in for the app: a live pid that is not the command's.
    writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify({ pid: process.pid, holder: 'the Chronicle app' }))
    const held = await chronicle(dataDir, ['sync', 'setup', url()])
    expect(held.code).toBe(1)
    expect(held.stderr).toContain(
      `chronicle sync setup: the Chronicle app (pid ${process.pid}) holds this library`,
    )
    rmSync(join(dataDir, LOCK_FILE))
    expect(files(dataDir)).toEqual([])

    writeFileSync(join(dataDir, 'sync.json'), '{"version":1,"url":')
    const damaged = await chronicle(dataDir, ['sync', 'status'])
    expect(damaged.code).toBe(1)
    expect(damaged.stderr).toContain(
      `chronicle sync status: ${join(dataDir, 'sync.json')} is damaged (not JSON)`,
    )
    expect((await chronicle(dataDir, ['sync', 'leave'])).code).toBe(0)
    expect(files(dataDir)).toEqual([])
  })

  it("shows a key the worker refuses as refused, in the worker's words, and a stopped worker as offline", async () => {
    const dataDir = scratch.dir()
    writeLibraryKey(dataDir, LibraryKey.generate())
    writeSyncSettings(dataDir, { url: url(), storeId, joinedAt: new Date().toISOString(), role: 'joined' })
    const refused = await chronicle(dataDir, ['sync', 'status'])
    expect(refused.code).toBe(0)
    expect(refused.stdout).toContain(
      'Worker: refused by the worker (HTTP 401 wrong_token): The token does not match',
    )

    const elsewhere = scratch.dir()
    const nowhere = `http://127.0.0.1:${await freePort()}/`
    writeLibraryKey(elsewhere, LibraryKey.generate())
    writeSyncSettings(elsewhere, {
      url: nowhere,
      storeId: 'chronicle-x',
      joinedAt: new Date().toISOString(),
      role: 'set-up',
    })
    const offline = await chronicle(elsewhere, ['sync', 'status', '--json'])
    expect(JSON.parse(offline.stdout).connection).toEqual({
      state: 'unreachable',
      message: `cannot reach ${nowhere} (ECONNREFUSED)`,
    })
  })
})
